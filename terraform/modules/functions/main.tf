# The five Lambda functions of cat-wrangler, their log groups, roles, event source mappings and Function URLs.
#   ingest    POST /images, POST /uploads                 (Function URL, AWS_IAM)
#   classify  SQS classify queue (S3 notifications, ingest requests, re-classify requests of admin)
#   ingest also POST /images/{id}/labels (a person's label: a write, so on the function that appends)
#   query     GET /images/{id}, /images/{id}/events, /batches/{id}, /batches/{id}/results, /quality, /healthz
#             (Function URL, AWS_IAM)
#   projector DynamoDB Streams of the event table, INSERT records only
#   admin     POST /admin/replay                          (Function URL of its own, AWS_IAM, its own callers)

data "aws_caller_identity" "current" {}

# IAM names are global to the account: the region keeps two regions' deployments of one environment apart.
data "aws_region" "current" {}

locals {
  functions = {
    ingest = {
      handler     = "io.catwrangler.ingest.IngestHandler::handleRequest"
      package     = var.ingest_package
      memory      = var.ingest_memory_mb
      timeout     = var.ingest_timeout_seconds
      description = "cat-wrangler ingest: POST /images, POST /uploads, POST /images/{id}/labels"
    }
    classify = {
      handler     = "io.catwrangler.classify.ClassifyHandler::handleRequest"
      package     = var.classify_package
      memory      = var.classify_memory_mb
      timeout     = var.classify_timeout_seconds
      description = "cat-wrangler classify: SQS batches of S3 notifications and ingest requests"
    }
    query = {
      handler     = "io.catwrangler.query.QueryHandler::handleRequest"
      package     = var.query_package
      memory      = var.query_memory_mb
      timeout     = var.query_timeout_seconds
      description = "cat-wrangler query: GET routes"
    }
    projector = {
      handler     = "io.catwrangler.query.ProjectorHandler::handleRequest"
      package     = var.query_package
      memory      = var.projector_memory_mb
      timeout     = var.projector_timeout_seconds
      description = "cat-wrangler projector: event table stream -> results view"
    }
    # Same zip as ingest, another role and another URL: the upstream callers of ingest cannot replay.
    admin = {
      handler     = "io.catwrangler.ingest.AdminHandler::handleRequest"
      package     = var.ingest_package
      memory      = var.admin_memory_mb
      timeout     = var.admin_timeout_seconds
      description = "cat-wrangler admin: POST /admin/replay"
    }
  }

  # The model classify answers with, as its answers record it (name, version): GET /quality on query measures it
  # (CW_CLASSIFY_MODEL_*, decision 0046). classify-fn's ClassifyModelInTerraformTest holds these to the code.
  classify_model = {
    embedded    = { name = "mobilenet-v2-imagenet", version = "coral-tf1-quant/cascade-v1" }
    rekognition = { name = "amazon-rekognition-detect-labels", version = var.rekognition_model_version }
  }[var.detector]

  # Read by io.catwrangler.aws.AwsConfig; every function gets the same set (AwsConfig validates all at start).
  # terraform/check verifies these names against the code.
  environment = {
    CW_EVENT_TABLE                   = var.event_table_name
    CW_VIEW_TABLE                    = var.view_table_name
    CW_IDEMPOTENCY_TABLE             = var.idempotency_table_name
    CW_BUCKET                        = var.bucket_name
    CW_CLASSIFY_QUEUE_URL            = var.classify_queue_url
    CW_DETECTOR                      = var.detector
    CW_BOXES                         = var.boxes
    CW_THRESHOLD                     = tostring(var.threshold)
    CW_REKOGNITION_MIN_CONFIDENCE    = tostring(var.rekognition_min_confidence)
    CW_REKOGNITION_MODEL_VERSION     = var.rekognition_model_version
    CW_DETECTOR_MAX_ATTEMPTS         = tostring(var.detector_max_attempts)
    CW_MAX_BYTES                     = tostring(var.max_image_bytes)
    CW_MAX_SIDE                      = tostring(var.max_image_side)
    CW_MAX_PIXELS                    = tostring(var.max_image_pixels)
    CW_MAX_ATTEMPTS                  = tostring(var.max_receive_count)
    CW_IDEMPOTENCY_EXPIRES_SECONDS   = tostring(var.idempotency_expires_seconds)
    CW_UPLOAD_URL_EXPIRES_SECONDS    = tostring(var.upload_url_expires_seconds)
    CW_CLASSIFY_IMAGE_BUDGET_SECONDS = tostring(var.classify_image_budget_seconds)
    CW_CLASSIFY_MODEL_NAME           = local.classify_model.name
    CW_CLASSIFY_MODEL_VERSION        = local.classify_model.version
  }

  # C1 only: shorter cold starts for the request/response functions. classify must say C2 explicitly: Lambda's
  # java17/21/25 runtimes stop tiered compilation at level 1 unless JAVA_TOOL_OPTIONS says otherwise, and its
  # decode, letterbox and post-processing run in Java on every image.
  java_tool_options = {
    ingest    = var.java_tool_options
    classify  = var.classify_java_tool_options
    query     = var.java_tool_options
    projector = var.java_tool_options
    admin     = var.java_tool_options
  }
}

# Created before the functions, so Lambda never creates them itself without a retention.
resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_lambda_function" "function" {
  for_each = local.functions

  function_name    = "${var.name_prefix}-${each.key}"
  description      = each.value.description
  role             = aws_iam_role.function[each.key].arn
  runtime          = var.java_runtime
  architectures    = [each.key == "classify" ? var.classify_architecture : var.architecture]
  handler          = each.value.handler
  filename         = each.value.package
  source_code_hash = filebase64sha256(each.value.package)
  memory_size      = each.value.memory
  timeout          = each.value.timeout

  environment {
    variables = merge(
      local.environment,
      local.java_tool_options[each.key] == "" ? {} : { JAVA_TOOL_OPTIONS = local.java_tool_options[each.key] },
      { POWERTOOLS_SERVICE_NAME = "catwrangler-${each.key}", POWERTOOLS_LOG_LEVEL = var.log_level },
      each.key == "projector" ? var.projector_extra_environment : {},
    )
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.function[each.key].name
    application_log_level = var.log_level
    # INFO keeps START, END and REPORT (billed duration, max memory, init duration): the cost section of
    # docs/deploy-aws.md and the runbook read them; WARN would drop them
    system_log_level = var.system_log_level
  }

  tags = var.tags

  depends_on = [
    aws_cloudwatch_log_group.function,
    aws_iam_role_policy.function,
  ]
}
