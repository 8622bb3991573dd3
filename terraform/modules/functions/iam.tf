# One role per function, each allowed exactly the calls its code makes (terraform/check keeps the actions in step
# with the adapters' SDK calls). Resources are the bucket, its two prefixes, the tables, the stream and the
# queues by ARN. The one "*" is Rekognition DetectLabels, which has no resource-level permissions.
#
# s3:ListBucket (on the bucket only) is there because HeadObject/GetObject of a missing key answer 403 instead of
# 404 without it, and the adapters treat "not there" (404) and "not allowed" (403) differently.

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name               = "${var.name_prefix}-${data.aws_region.current.region}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = length("${var.name_prefix}-${data.aws_region.current.region}-${each.key}") <= 64
      error_message = "IAM role names are at most 64 characters: shorten name_prefix."
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions
  name     = "${var.name_prefix}-${each.key}"
  role     = aws_iam_role.function[each.key].id
  policy   = local.policies[each.key]
}

locals {
  policies = {
    ingest    = data.aws_iam_policy_document.ingest.json
    classify  = data.aws_iam_policy_document.classify.json
    query     = data.aws_iam_policy_document.query.json
    projector = data.aws_iam_policy_document.projector.json
    admin     = data.aws_iam_policy_document.admin.json
  }
}

# ingest: IngestImage (S3ImageStore.put, SqsClassifyQueue.enqueue, DynamoDbEventStore state + append, the state from
# the view row's snapshot), RecordLabel (POST /images/{id}/labels: the same state + append, no more) and the
# presigned PUT of POST /uploads, which is signed with this role's credentials.
data "aws_iam_policy_document" "ingest" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["ingest"].arn}:*"]
  }
  statement {
    sid       = "BucketExistenceChecks"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
  }
  statement {
    sid       = "Images"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.bucket_arn}/images/*"]
  }
  statement {
    sid       = "PresignedUploads"
    actions   = ["s3:PutObject"]
    resources = ["${var.bucket_arn}/incoming/*"]
  }
  statement {
    sid       = "ClassifyQueue"
    actions   = ["sqs:SendMessage"]
    resources = [var.classify_queue_arn]
  }
  statement {
    sid       = "EventTable"
    actions   = ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"]
    resources = [var.event_table_arn]
  }
  statement {
    sid       = "ViewSnapshots"
    actions   = ["dynamodb:GetItem"]
    resources = [var.view_table_arn]
  }
}

# classify: the SQS event source, S3ImageStore (incoming/ head, read, promote, delete; images/ get),
# ClassifyImages (DynamoDbEventStore state + append, the state from the view row's snapshot), DynamoDbIdempotencyStore, RekognitionCatDetector.
data "aws_iam_policy_document" "classify" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["classify"].arn}:*"]
  }
  statement {
    sid       = "ClassifyQueueEventSource"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]
    resources = [var.classify_queue_arn]
  }
  statement {
    sid       = "BucketExistenceChecks"
    actions   = ["s3:ListBucket"]
    resources = [var.bucket_arn]
  }
  statement {
    sid       = "Arrivals"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arn}/incoming/*"]
  }
  statement {
    sid       = "Images"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.bucket_arn}/images/*"]
  }
  statement {
    sid       = "EventTable"
    actions   = ["dynamodb:Query", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"]
    resources = [var.event_table_arn]
  }
  statement {
    sid       = "ViewSnapshots"
    actions   = ["dynamodb:GetItem"]
    resources = [var.view_table_arn]
  }
  statement {
    sid       = "IdempotencyTable"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [var.idempotency_table_arn]
  }
  dynamic "statement" {
    for_each = var.detector == "rekognition" ? [1] : []
    content {
      # DetectLabels supports no resource-level permissions: "*" is the only valid resource. Rekognition reads
      # the object with the caller's permissions, which is the Images statement above.
      sid       = "RekognitionDetectLabels"
      actions   = ["rekognition:DetectLabels"]
      resources = ["*"]
    }
  }
}

# query: QueryResults (DynamoDbResultView image + batch + batchStates, DynamoDbEventStore read); MeasureQuality
# (GET /quality: DynamoDbLabelledAnswers tally, a Query of the view's labels partition).
data "aws_iam_policy_document" "query" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["query"].arn}:*"]
  }
  statement {
    sid       = "ViewTable"
    actions   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"]
    resources = [var.view_table_arn]
  }
  statement {
    sid       = "EventTable"
    actions   = ["dynamodb:Query"]
    resources = [var.event_table_arn]
  }
}

# projector: the stream event source and its on-failure destination, ProjectEvents (DynamoDbResultView image +
# save, DynamoDbEventStore read when a record is missing).
data "aws_iam_policy_document" "projector" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["projector"].arn}:*"]
  }
  statement {
    sid       = "EventStreamEventSource"
    actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    resources = [var.event_stream_arn]
  }
  statement {
    sid       = "EventStreamList"
    actions   = ["dynamodb:ListStreams"]
    resources = ["${var.event_table_arn}/stream/*"]
  }
  statement {
    sid       = "StreamFailureDestination"
    actions   = ["sqs:SendMessage"]
    resources = [var.stream_failure_queue_arn]
  }
  statement {
    sid       = "ViewTable"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"]
    resources = [var.view_table_arn]
  }
  statement {
    sid       = "EventTable"
    actions   = ["dynamodb:Query"]
    resources = [var.event_table_arn]
  }
}

# admin: ReplayEvents. rebuild: DynamoDbResultView reset + remove + save, DynamoDbEventStore imageIds + read;
# redecide: DynamoDbEventStore read + append; reclassify: SqsClassifyQueue.enqueue (classify-fn runs the detector) and
# its checkpoint item in the view table (DynamoDbReplayCheckpoints: get, put, delete).
# Nothing on S3, nothing on the idempotency table.
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function["admin"].arn}:*"]
  }
  statement {
    sid       = "EventTable"
    actions   = ["dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem", "dynamodb:ConditionCheckItem"]
    resources = [var.event_table_arn]
  }
  statement {
    sid       = "ViewTable"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Scan", "dynamodb:BatchWriteItem"]
    resources = [var.view_table_arn]
  }
  statement {
    sid       = "ClassifyQueue"
    actions   = ["sqs:SendMessage"]
    resources = [var.classify_queue_arn]
  }
}
