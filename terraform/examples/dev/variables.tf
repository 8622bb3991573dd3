variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Environment name: part of every resource name (catwrangler-<environment>-...)."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z0-9-]{1,20}$", var.environment))
    error_message = "environment must be 1-20 lower-case letters, digits or dashes."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "bucket_name" {
  description = "Image bucket name; null for catwrangler-<environment>-images-<account id>-<region>."
  type        = string
  default     = null
}

variable "extra_bucket_policy_json" {
  description = "More bucket-policy documents (JSON) for the image bucket, e.g. a statement letting another account's role s3:PutObject into incoming/*."
  type        = list(string)
  default     = []
}

variable "force_destroy_bucket" {
  description = "Let terraform destroy empty the image bucket. Keep false unless the environment is disposable."
  type        = bool
  default     = false
}

variable "incoming_expiration_days" {
  description = "Days after which unhandled arrivals under incoming/ are deleted: at least the DLQ's 14 days + 1, so a redrive finds them."
  type        = number
  default     = 15
}

variable "deletion_protection" {
  description = "Deletion protection on the event table."
  type        = bool
  default     = true
}

variable "ingest_package" {
  description = "Path of the ingest zip; null for ingest-fn/target/ingest-fn-lambda.zip in this checkout."
  type        = string
  default     = null
}

variable "classify_package" {
  description = "Path of the classify zip; null for classify-fn/target/classify-fn-lambda.zip in this checkout."
  type        = string
  default     = null
}

variable "query_package" {
  description = "Path of the query zip; null for query-fn/target/query-fn-lambda.zip in this checkout."
  type        = string
  default     = null
}

variable "java_runtime" {
  description = "java21 or java25 (java17 only with detector = rekognition: ONNX Runtime needs glibc 2.27)."
  type        = string
  default     = "java21"
}

variable "architecture" {
  description = "Instruction set of ingest, query, the projector and admin: arm64 (cheaper) or x86_64. classify is x86_64 (its ONNX natives are linux-x64)."
  type        = string
  default     = "arm64"
}

variable "ingest_memory_mb" {
  description = "Memory of ingest."
  type        = number
  default     = 1024
}

variable "classify_memory_mb" {
  description = "Memory of classify (1,024 MB: the cheapest size with room for both models, docs/decisions/0032)."
  type        = number
  default     = 1024
}

variable "classify_timeout_seconds" {
  description = "Timeout of classify; the queue's visibility timeout is derived from it."
  type        = number
  default     = 120
}

variable "query_memory_mb" {
  description = "Memory of query."
  type        = number
  default     = 1024
}

variable "projector_memory_mb" {
  description = "Memory of the projector."
  type        = number
  default     = 1024
}

variable "admin_memory_mb" {
  description = "Memory of admin (POST /admin/replay)."
  type        = number
  default     = 512
}

variable "admin_timeout_seconds" {
  description = "Timeout of admin, 1-900: a replay through its URL must finish within it (rebuild, re-decide)."
  type        = number
  default     = 900
}

variable "log_retention_days" {
  description = "Log retention of the functions."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "Application log level."
  type        = string
  default     = "INFO"
}

variable "detector" {
  description = "embedded or rekognition."
  type        = string
  default     = "embedded"
}

variable "boxes" {
  description = "always or never: whether classify also runs CenterNet for boxes beside the ImageNet classifier."
  type        = string
  default     = "never"
}

variable "threshold" {
  description = "Cat-score threshold in [0, 1]."
  type        = number
  default     = 0.3
}

variable "rekognition_min_confidence" {
  description = "DetectLabels MinConfidence (0-100)."
  type        = number
  default     = 50
}

variable "max_receive_count" {
  description = "Deliveries of a classify message before it goes to the DLQ (= CW_MAX_ATTEMPTS)."
  type        = number
  default     = 5
}

variable "upload_url_expires_seconds" {
  description = "Lifetime of presigned upload URLs (1-3600 s)."
  type        = number
  default     = 300
}

variable "visibility_timeout_multiplier" {
  description = "Classify queue visibility as a multiple of the classify timeout (at least 6)."
  type        = number
  default     = 6
}

variable "classify_batch_size" {
  description = "Messages per classify invocation."
  type        = number
  default     = 10
}

variable "classify_batching_window_seconds" {
  description = "Batching window of the SQS mapping."
  type        = number
  default     = 1
}

variable "classify_maximum_concurrency" {
  description = "Most concurrent classify invocations."
  type        = number
  default     = 10
}

variable "stream_starting_position" {
  description = "TRIM_HORIZON or LATEST."
  type        = string
  default     = "TRIM_HORIZON"
}

variable "stream_maximum_retry_attempts" {
  description = "Retries of a failing projector batch."
  type        = number
  default     = 10
}

variable "stream_maximum_record_age_seconds" {
  description = "Oldest stream record still projected (-1 or 60-604800)."
  type        = number
  default     = 21600
}

variable "url_invoker_principals" {
  description = "Account ids or IAM role/user ARNs allowed to call the ingest and query Function URLs."
  type        = list(string)
  default     = []
}

variable "admin_url_invoker_principals" {
  description = "Account ids or IAM role/user ARNs allowed to call the admin Function URL (POST /admin/replay): operators only."
  type        = list(string)
  default     = []
}

variable "alarm_topic_arn" {
  description = "SNS topic for alarm notifications; null for none."
  type        = string
  default     = null
}

variable "notifications" {
  description = "Publish completion notifications (batch.completed) on an EventBridge bus of this deployment."
  type        = bool
  default     = true
}

variable "notify_each_image" {
  description = "Also publish image.answered for every image (one event per image)."
  type        = bool
  default     = false
}

variable "notification_archive_days" {
  description = "Days the notification bus's archive keeps events for replay; 0 for none."
  type        = number
  default     = 7
}
