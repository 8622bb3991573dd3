# What an operator must hear about: dead letters, failing or throttled functions, a projector falling behind.
# docs/operations.md ("On AWS") says what to do for each.

locals {
  actions = var.alarm_topic_arn == null ? [] : [var.alarm_topic_arn]
  dead_letter_queues = {
    classify-dlq       = var.dead_letter_queue_name
    projector-failures = var.stream_failure_queue_name
  }
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each            = local.dead_letter_queues
  alarm_name          = "${var.name_prefix}-${each.key}-not-empty"
  alarm_description   = "Messages in ${each.value}: see docs/operations.md, On AWS, Dead letters."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# classify logs "arrival lost" (ERROR) when a message older than a day finds its incoming/ object gone: an accepted
# image that will never be classified (docs/decisions/0022-lost-arrivals.md).
resource "aws_cloudwatch_log_metric_filter" "arrivals_lost" {
  name           = "${var.name_prefix}-arrivals-lost"
  log_group_name = var.classify_log_group_name
  pattern        = "{ $.message = \"arrival lost*\" }"

  metric_transformation {
    name          = "ArrivalsLost"
    namespace     = "CatWrangler"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "arrivals_lost" {
  alarm_name          = "${var.name_prefix}-arrivals-lost"
  alarm_description   = "An S3 arrival expired before it was classified (a late DLQ redrive?): see docs/operations.md, On AWS."
  namespace           = "CatWrangler"
  metric_name         = aws_cloudwatch_log_metric_filter.arrivals_lost.metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  alarm_name          = "${var.name_prefix}-classify-queue-backlog"
  alarm_description   = "The oldest classify message waits longer than ${var.oldest_message_age_seconds} s: classify cannot keep up or is failing."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = var.classify_queue_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_age_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  for_each            = var.function_names
  alarm_name          = "${var.name_prefix}-${each.key}-errors"
  alarm_description   = "${each.value} failed invocations (unhandled errors, timeouts, out of memory)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.errors_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  for_each            = var.function_names
  alarm_name          = "${var.name_prefix}-${each.key}-throttles"
  alarm_description   = "${each.value} was throttled (account or reserved concurrency exhausted)."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "${var.name_prefix}-projector-iterator-age"
  alarm_description   = "The projector is behind the event stream by more than ${var.iterator_age_threshold_ms} ms: answers show late."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = var.projector_function_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.iterator_age_threshold_ms
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
