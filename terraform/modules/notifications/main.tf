# Completion notifications on AWS (decision 0034): the projector puts batch.completed (and, when asked,
# image.answered) events on a bus of their own; consumers subscribe with rules of their own (a rule per upstream
# system, matching detail.batch.batch_id, with an API destination, a queue or a function as target).
#   bus      <name_prefix>-notifications
#   archive  every event kept for archive_retention_days, so a consumer that was down can have them replayed
#   policy   the projector may PutEvents on this bus and nothing else

resource "aws_cloudwatch_event_bus" "notifications" {
  name        = "${var.name_prefix}-notifications"
  description = "cat-wrangler completion notifications (source catwrangler; detail-type batch.completed, image.answered)"
  tags        = var.tags
}

resource "aws_cloudwatch_event_archive" "notifications" {
  count            = var.archive_retention_days > 0 ? 1 : 0
  name             = "${var.name_prefix}-notifications"
  description      = "Every cat-wrangler notification, for replay to a consumer that missed them."
  event_source_arn = aws_cloudwatch_event_bus.notifications.arn
  retention_days   = var.archive_retention_days
}

# Least privilege: one action on one bus. PutEvents has no narrower resource than the bus; the condition keeps the
# projector to its own source name.
data "aws_iam_policy_document" "put_events" {
  statement {
    sid       = "PublishNotifications"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.notifications.arn]
    condition {
      test     = "StringEquals"
      variable = "events:source"
      values   = [local.source]
    }
  }
}

resource "aws_iam_role_policy" "projector_put_events" {
  name   = "notifications"
  role   = var.projector_role_name
  policy = data.aws_iam_policy_document.put_events.json
}

locals {
  # io.catwrangler.query.EventBridgeNotifications.SOURCE
  source = "catwrangler"
  # read by io.catwrangler.query.NotifyBus; terraform/check verifies the names against the code
  environment = {
    NOTIFY_BUS_NAME   = aws_cloudwatch_event_bus.notifications.name
    NOTIFY_EACH_IMAGE = tostring(var.each_image)
  }
}
