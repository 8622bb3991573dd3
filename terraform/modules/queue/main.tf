# The classify queue with its dead-letter queue, the S3 notifications that feed it, and the queue that keeps
# stream records the projector gave up on.

locals {
  # AWS's rule for an SQS event source: visibility at least 6 x the function timeout (plus the batching window),
  # so a batch still being retried by Lambda is not handed out again.
  visibility_timeout_seconds = var.consumer_timeout_seconds * var.visibility_timeout_multiplier + var.batching_window_seconds
}

resource "aws_sqs_queue" "dead_letters" {
  name                      = "${var.name_prefix}-classify-dlq"
  message_retention_seconds = var.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
  tags                      = var.tags

  lifecycle {
    # A message keeps its first enqueue time in the DLQ, so it can be redriven up to the DLQ's retention after the
    # arrival was written; S3 expires objects at the first midnight UTC after the given days, never earlier.
    precondition {
      condition     = var.arrival_expiration_days * 86400 >= var.dead_letter_retention_seconds + 86400
      error_message = "Arrivals under incoming/ expire after ${var.arrival_expiration_days} days, but the DLQ keeps messages ${var.dead_letter_retention_seconds} s: a message redriven after its arrival expired would find nothing to classify. Set incoming_expiration_days to at least the DLQ retention in days + 1."
    }
  }
}

resource "aws_sqs_queue" "classify" {
  name                       = "${var.name_prefix}-classify"
  visibility_timeout_seconds = local.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  receive_wait_time_seconds  = 20
  # SQS-managed SSE: S3 notifications cannot be sent to a queue encrypted with the AWS managed KMS key.
  sqs_managed_sse_enabled = true
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letters.arn
    maxReceiveCount     = var.max_receive_count
  })
  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.visibility_timeout_seconds <= 43200
      error_message = "The computed visibility timeout (${local.visibility_timeout_seconds} s) exceeds SQS's 12 hours: lower the classify timeout."
    }
    precondition {
      condition     = var.dead_letter_retention_seconds > var.message_retention_seconds
      error_message = "The DLQ must keep messages longer than the queue (SQS keeps a message's original enqueue time when it moves it)."
    }
  }
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.classify.arn]
  })
}

data "aws_iam_policy_document" "classify_queue" {
  statement {
    sid     = "S3ImageBucketNotifications"
    effect  = "Allow"
    actions = ["sqs:SendMessage"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    resources = [aws_sqs_queue.classify.arn]
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [var.source_bucket_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.source_account_id]
    }
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["sqs:*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    resources = [aws_sqs_queue.classify.arn]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "classify" {
  queue_url = aws_sqs_queue.classify.id
  policy    = data.aws_iam_policy_document.classify_queue.json
}

resource "aws_s3_bucket_notification" "incoming" {
  bucket = var.source_bucket_name

  queue {
    id            = "classify-incoming"
    queue_arn     = aws_sqs_queue.classify.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.notification_prefix
  }

  # S3 sends a test message and refuses the configuration unless the queue policy already lets it send
  depends_on = [aws_sqs_queue_policy.classify]
}

# On-failure destination of the projector's stream mapping: metadata of the records it gave up on (shard,
# sequence numbers), enough to find the events again and replay them.
resource "aws_sqs_queue" "stream_failures" {
  name                      = "${var.name_prefix}-projector-failures"
  message_retention_seconds = var.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}
