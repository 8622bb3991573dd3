# A complete cat-wrangler deployment in one account and region: docs/deploy-aws.md walks through it.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name_prefix = "catwrangler-${var.environment}"
  # bucket names are global: account and region keep every deployment's apart
  bucket_name = coalesce(var.bucket_name, "${local.name_prefix}-images-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.region}")
  repo_root   = abspath("${path.root}/../../..")
}

module "storage" {
  source = "../../modules/storage"

  bucket_name              = local.bucket_name
  force_destroy            = var.force_destroy_bucket
  incoming_expiration_days = var.incoming_expiration_days
  extra_bucket_policy_json = var.extra_bucket_policy_json
}

module "queue" {
  source = "../../modules/queue"

  name_prefix                   = local.name_prefix
  consumer_timeout_seconds      = var.classify_timeout_seconds
  visibility_timeout_multiplier = var.visibility_timeout_multiplier
  batching_window_seconds       = var.classify_batching_window_seconds
  max_receive_count             = var.max_receive_count
  arrival_expiration_days       = var.incoming_expiration_days
  source_bucket_name            = module.storage.bucket_name
  source_bucket_arn             = module.storage.bucket_arn
  source_account_id             = data.aws_caller_identity.current.account_id
}

module "tables" {
  source = "../../modules/tables"

  name_prefix         = local.name_prefix
  deletion_protection = var.deletion_protection
}

module "functions" {
  source = "../../modules/functions"

  name_prefix      = local.name_prefix
  ingest_package   = coalesce(var.ingest_package, "${local.repo_root}/ingest-fn/target/ingest-fn-lambda.zip")
  classify_package = coalesce(var.classify_package, "${local.repo_root}/classify-fn/target/classify-fn-lambda.zip")
  query_package    = coalesce(var.query_package, "${local.repo_root}/query-fn/target/query-fn-lambda.zip")

  java_runtime             = var.java_runtime
  architecture             = var.architecture
  classify_memory_mb       = var.classify_memory_mb
  classify_timeout_seconds = var.classify_timeout_seconds
  ingest_memory_mb         = var.ingest_memory_mb
  query_memory_mb          = var.query_memory_mb
  projector_memory_mb      = var.projector_memory_mb
  admin_memory_mb          = var.admin_memory_mb
  admin_timeout_seconds    = var.admin_timeout_seconds
  log_retention_days       = var.log_retention_days
  log_level                = var.log_level

  detector                   = var.detector
  boxes                      = var.boxes
  threshold                  = var.threshold
  rekognition_min_confidence = var.rekognition_min_confidence
  max_receive_count          = var.max_receive_count
  upload_url_expires_seconds = var.upload_url_expires_seconds

  bucket_name              = module.storage.bucket_name
  bucket_arn               = module.storage.bucket_arn
  event_table_name         = module.tables.event_table_name
  event_table_arn          = module.tables.event_table_arn
  event_stream_arn         = module.tables.event_stream_arn
  view_table_name          = module.tables.view_table_name
  view_table_arn           = module.tables.view_table_arn
  idempotency_table_name   = module.tables.idempotency_table_name
  idempotency_table_arn    = module.tables.idempotency_table_arn
  classify_queue_url       = module.queue.classify_queue_url
  classify_queue_arn       = module.queue.classify_queue_arn
  stream_failure_queue_arn = module.queue.stream_failure_queue_arn

  classify_batch_size               = var.classify_batch_size
  classify_batching_window_seconds  = var.classify_batching_window_seconds
  classify_maximum_concurrency      = var.classify_maximum_concurrency
  stream_starting_position          = var.stream_starting_position
  stream_maximum_retry_attempts     = var.stream_maximum_retry_attempts
  stream_maximum_record_age_seconds = var.stream_maximum_record_age_seconds

  url_invoker_principals       = var.url_invoker_principals
  admin_url_invoker_principals = var.admin_url_invoker_principals

  projector_extra_environment = var.notifications ? module.notifications[0].projector_environment : {}
}

# Completion notifications on an EventBridge bus (docs/api.md#notifications); consumers add their own rules.
module "notifications" {
  source = "../../modules/notifications"
  count  = var.notifications ? 1 : 0

  name_prefix            = local.name_prefix
  projector_role_name    = module.functions.role_names["projector"]
  each_image             = var.notify_each_image
  archive_retention_days = var.notification_archive_days
}

module "alarms" {
  source = "../../modules/alarms"

  name_prefix               = local.name_prefix
  alarm_topic_arn           = var.alarm_topic_arn
  function_names            = module.functions.function_names
  projector_function_name   = module.functions.function_names["projector"]
  classify_queue_name       = module.queue.classify_queue_name
  classify_log_group_name   = module.functions.log_group_names["classify"]
  dead_letter_queue_name    = module.queue.dead_letter_queue_name
  stream_failure_queue_name = module.queue.stream_failure_queue_name
}
