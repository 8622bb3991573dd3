# classify <- SQS: partial batch failures, so one bad message is retried (and dead-lettered) alone.
resource "aws_lambda_event_source_mapping" "classify_queue" {
  event_source_arn                   = var.classify_queue_arn
  function_name                      = aws_lambda_function.function["classify"].arn
  batch_size                         = var.classify_batch_size
  maximum_batching_window_in_seconds = var.classify_batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.classify_maximum_concurrency
  }

  depends_on = [aws_iam_role_policy.function]
}

# projector <- the event table's stream. INSERT only (events are never modified; REMOVE does not happen on the
# event table). On a failure the handler reports the first failed sequence number; Lambda retries from there,
# halves the batch, and after the retries or the record age sends the batch's metadata to the failure queue.
resource "aws_lambda_event_source_mapping" "event_stream" {
  event_source_arn                   = var.event_stream_arn
  function_name                      = aws_lambda_function.function["projector"].arn
  starting_position                  = var.stream_starting_position
  batch_size                         = var.stream_batch_size
  maximum_batching_window_in_seconds = var.stream_batching_window_seconds
  parallelization_factor             = var.stream_parallelization_factor
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.stream_maximum_retry_attempts
  maximum_record_age_in_seconds      = var.stream_maximum_record_age_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  filter_criteria {
    filter {
      pattern = jsonencode({ eventName = ["INSERT"] })
    }
  }

  destination_config {
    on_failure {
      destination_arn = var.stream_failure_queue_arn
    }
  }

  depends_on = [aws_iam_role_policy.function]
}
