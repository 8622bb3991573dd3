variable "name_prefix" {
  description = "Prefix of the function, role and log group names."
  type        = string
}

# --- deployment packages (./mvnw package) ---

variable "ingest_package" {
  description = "Path of ingest-fn/target/ingest-fn-lambda.zip."
  type        = string
}

variable "classify_package" {
  description = "Path of classify-fn/target/classify-fn-lambda.zip."
  type        = string
}

variable "query_package" {
  description = "Path of query-fn/target/query-fn-lambda.zip (query and projector handlers)."
  type        = string
}

# --- runtime ---

variable "java_runtime" {
  description = "Lambda Java runtime. The code is compiled for Java 17. The embedded detector's ONNX Runtime needs glibc 2.27: java21/java25 (Amazon Linux 2023) only; java17 (Amazon Linux 2, glibc 2.26) with detector = rekognition only."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java17", "java21", "java25"], var.java_runtime)
    error_message = "java_runtime must be java17, java21 or java25."
  }

  # classify-fn's ShippedNativesTest reads this list and checks the glibc needs of the zip's natives against it
  validation {
    condition     = var.detector != "embedded" || contains(["java21", "java25"], var.java_runtime)
    error_message = "The embedded detector needs java21 or java25: ONNX Runtime's libonnxruntime.so needs glibc 2.27, java17 runs on Amazon Linux 2 (glibc 2.26)."
  }
}

variable "architecture" {
  description = "Instruction set of ingest, query, the projector and admin (pure Java): arm64 (Graviton) is 20 % cheaper per GB-second than x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "classify_architecture" {
  description = "Instruction set of classify. Its zip carries ONNX Runtime's linux-x64 natives only (classify-fn/src/assembly), so x86_64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = var.classify_architecture == "x86_64"
    error_message = "classify_architecture must be x86_64: the classify zip carries ONNX Runtime's linux-x64 natives only."
  }
}

variable "java_tool_options" {
  description = "JAVA_TOOL_OPTIONS of ingest, query, projector and admin (C1 only starts faster). Empty to leave unset."
  type        = string
  default     = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
}

variable "classify_java_tool_options" {
  description = "JAVA_TOOL_OPTIONS of classify. Lambda's Java runtimes stop at C1 (TieredStopAtLevel=1) unless told otherwise; classify decodes and post-processes every image in Java, so it asks for C2 (level 4)."
  type        = string
  default     = "-XX:+TieredCompilation -XX:TieredStopAtLevel=4"

  validation {
    condition     = can(regex("TieredStopAtLevel=4", var.classify_java_tool_options)) || can(regex("-TieredCompilation", var.classify_java_tool_options))
    error_message = "classify_java_tool_options must keep C2 (-XX:TieredStopAtLevel=4, or -XX:-TieredCompilation): Lambda's default stops at C1."
  }
}

variable "ingest_memory_mb" {
  description = "Memory of ingest (a POST /images body is held in memory: up to the URL's 6 MB payload)."
  type        = number
  default     = 1024
}

variable "ingest_timeout_seconds" {
  description = "Timeout of ingest."
  type        = number
  default     = 30
}

variable "classify_memory_mb" {
  description = "Memory of classify. CPU grows with memory (1,769 MB = one vCPU), but classify handles one image at a time and mostly waits on S3 and DynamoDB: 1,024 MB is the cheapest size with room for both models (docs/decisions/0032)."
  type        = number
  default     = 1024
}

variable "classify_timeout_seconds" {
  description = "Timeout of classify. The queue's visibility timeout is computed from it (x6 + batching window)."
  type        = number
  default     = 120

  validation {
    condition     = var.classify_timeout_seconds >= 10 && var.classify_timeout_seconds <= 900
    error_message = "classify_timeout_seconds must be 10 to 900."
  }
}

variable "classify_image_budget_seconds" {
  description = "classify starts no image with less time left than this (CW_CLASSIFY_IMAGE_BUDGET_SECONDS): the rest of its batch goes back to the queue as batch item failures instead of timing out with the batch. Must be below classify_timeout_seconds."
  type        = number
  default     = 20

  validation {
    condition     = var.classify_image_budget_seconds >= 1 && var.classify_image_budget_seconds < var.classify_timeout_seconds
    error_message = "classify_image_budget_seconds must be at least 1 and below classify_timeout_seconds."
  }
}

variable "query_memory_mb" {
  description = "Memory of query."
  type        = number
  default     = 1024
}

variable "query_timeout_seconds" {
  description = "Timeout of query."
  type        = number
  default     = 15
}

variable "projector_memory_mb" {
  description = "Memory of the projector."
  type        = number
  default     = 1024
}

variable "projector_timeout_seconds" {
  description = "Timeout of the projector."
  type        = number
  default     = 60
}

variable "admin_memory_mb" {
  description = "Memory of admin (POST /admin/replay)."
  type        = number
  default     = 512

  validation {
    condition     = var.admin_memory_mb >= 128 && var.admin_memory_mb <= 10240
    error_message = "admin_memory_mb must be 128 to 10240."
  }
}

variable "admin_timeout_seconds" {
  description = "Timeout of admin. A Function URL call (BUFFERED) lasts at most this long; rebuild and re-decide of a large table need the time, so the default is Lambda's maximum."
  type        = number
  default     = 900

  validation {
    condition     = var.admin_timeout_seconds >= 1 && var.admin_timeout_seconds <= 900
    error_message = "admin_timeout_seconds must be 1 to 900."
  }
}

variable "log_retention_days" {
  description = "Retention of the functions' log groups."
  type        = number
  default     = 30
}

variable "log_level" {
  description = "Application log level (Lambda JSON logging and Powertools)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL."
  }
}

variable "system_log_level" {
  description = "Lambda's own log lines (JSON logging): INFO keeps START, END and REPORT (billed duration, memory, init duration), which docs/deploy-aws.md (cost) and docs/operations.md (timeouts) rely on; WARN drops them."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO"], var.system_log_level)
    error_message = "system_log_level must be DEBUG or INFO: WARN drops the REPORT lines the cost and runbook sections rely on."
  }
}

# --- CW_* settings (io.catwrangler.aws.AwsConfig) ---

variable "detector" {
  description = "Detector of classify: embedded (ONNX model in the zip) or rekognition (DetectLabels, billed per image)."
  type        = string
  default     = "embedded"

  validation {
    condition     = contains(["embedded", "rekognition"], var.detector)
    error_message = "detector must be embedded or rekognition."
  }
}

variable "boxes" {
  description = "With the embedded detector (CW_BOXES): always also runs CenterNet for detections and boxes; never answers with the ImageNet classifier alone, about a fifth of the time per image (decision 0016)."
  type        = string
  default     = "never"

  validation {
    condition     = contains(["always", "never"], var.boxes)
    error_message = "boxes must be always or never."
  }
}

variable "threshold" {
  description = "Cat-score threshold in [0, 1] (CW_THRESHOLD)."
  type        = number
  default     = 0.3

  validation {
    condition     = var.threshold >= 0 && var.threshold <= 1
    error_message = "threshold must be in [0, 1]."
  }
}

variable "rekognition_min_confidence" {
  description = "DetectLabels MinConfidence, 0-100 (CW_REKOGNITION_MIN_CONFIDENCE)."
  type        = number
  default     = 50
}

variable "rekognition_model_version" {
  description = "Model version recorded with Rekognition answers (CW_REKOGNITION_MODEL_VERSION)."
  type        = string
  default     = "3.0"
}

variable "detector_max_attempts" {
  description = "Detector calls per image when throttled, 1-10 (CW_DETECTOR_MAX_ATTEMPTS)."
  type        = number
  default     = 4
}

variable "max_image_bytes" {
  description = "Largest image in bytes (CW_MAX_BYTES). Rekognition takes at most 15 MiB from S3."
  type        = number
  default     = 15728640
}

variable "max_image_side" {
  description = "Largest width or height in pixels (CW_MAX_SIDE)."
  type        = number
  default     = 10000
}

variable "max_image_pixels" {
  description = "Largest width x height (CW_MAX_PIXELS)."
  type        = number
  default     = 50000000
}

variable "max_receive_count" {
  description = "The classify queue's maxReceiveCount (CW_MAX_ATTEMPTS): the last attempt records FAILED."
  type        = number
}

variable "idempotency_expires_seconds" {
  description = "How long a completed classification is reused from the idempotency table (CW_IDEMPOTENCY_EXPIRES_SECONDS)."
  type        = number
  default     = 3600
}

variable "upload_url_expires_seconds" {
  description = "Lifetime of a presigned upload URL from POST /uploads, 1-3600 (CW_UPLOAD_URL_EXPIRES_SECONDS)."
  type        = number
  default     = 300

  validation {
    condition     = var.upload_url_expires_seconds >= 1 && var.upload_url_expires_seconds <= 3600
    error_message = "upload_url_expires_seconds must be 1 to 3600."
  }
}

# --- resources made by the other modules ---

variable "bucket_name" {
  description = "The image bucket."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the image bucket."
  type        = string
}

variable "event_table_name" {
  description = "Name of the event table."
  type        = string
}

variable "event_table_arn" {
  description = "ARN of the event table."
  type        = string
}

variable "event_stream_arn" {
  description = "ARN of the event table's stream."
  type        = string
}

variable "view_table_name" {
  description = "Name of the results view table."
  type        = string
}

variable "view_table_arn" {
  description = "ARN of the results view table."
  type        = string
}

variable "idempotency_table_name" {
  description = "Name of the idempotency table."
  type        = string
}

variable "idempotency_table_arn" {
  description = "ARN of the idempotency table."
  type        = string
}

variable "classify_queue_url" {
  description = "URL of the classify queue."
  type        = string
}

variable "classify_queue_arn" {
  description = "ARN of the classify queue."
  type        = string
}

variable "stream_failure_queue_arn" {
  description = "ARN of the projector's on-failure destination queue."
  type        = string
}

# --- event source mappings ---

variable "classify_batch_size" {
  description = "Messages per classify invocation (1-10 without a batching window)."
  type        = number
  default     = 10

  validation {
    condition     = var.classify_batch_size >= 1 && var.classify_batch_size <= 10000
    error_message = "classify_batch_size must be 1 to 10000."
  }

  validation {
    condition     = var.classify_batch_size <= 10 || var.classify_batching_window_seconds > 0
    error_message = "A classify_batch_size over 10 needs classify_batching_window_seconds > 0 (Lambda refuses the mapping otherwise)."
  }
}

variable "classify_batching_window_seconds" {
  description = "How long Lambda gathers messages before invoking classify (required > 0 for batches over 10)."
  type        = number
  default     = 1

  validation {
    condition     = var.classify_batching_window_seconds >= 0 && var.classify_batching_window_seconds <= 300
    error_message = "classify_batching_window_seconds must be 0 to 300."
  }
}

variable "classify_maximum_concurrency" {
  description = "Most concurrent classify invocations the SQS mapping starts (2-1000): caps Lambda, DynamoDB and Rekognition load."
  type        = number
  default     = 10

  validation {
    condition     = var.classify_maximum_concurrency >= 2 && var.classify_maximum_concurrency <= 1000
    error_message = "classify_maximum_concurrency must be 2 to 1000."
  }
}

variable "stream_starting_position" {
  description = "Where the projector starts reading a new stream: TRIM_HORIZON (all retained records) or LATEST."
  type        = string
  default     = "TRIM_HORIZON"

  validation {
    condition     = contains(["TRIM_HORIZON", "LATEST"], var.stream_starting_position)
    error_message = "stream_starting_position must be TRIM_HORIZON or LATEST."
  }
}

variable "stream_batch_size" {
  description = "Stream records per projector invocation."
  type        = number
  default     = 100
}

variable "stream_batching_window_seconds" {
  description = "How long Lambda gathers stream records before invoking the projector."
  type        = number
  default     = 1
}

variable "stream_parallelization_factor" {
  description = "Concurrent batches per shard (1-10); order per image is kept, and the view is versioned anyway."
  type        = number
  default     = 1

  validation {
    condition     = var.stream_parallelization_factor >= 1 && var.stream_parallelization_factor <= 10
    error_message = "stream_parallelization_factor must be 1 to 10."
  }
}

variable "stream_maximum_retry_attempts" {
  description = "Retries of a failing stream batch before it goes to the failure queue (-1 = until the record expires)."
  type        = number
  default     = 10

  validation {
    condition     = var.stream_maximum_retry_attempts >= -1 && var.stream_maximum_retry_attempts <= 10000
    error_message = "stream_maximum_retry_attempts must be -1 to 10000."
  }
}

variable "stream_maximum_record_age_seconds" {
  description = "Oldest stream record the projector is still given (-1 = no limit, else 60-604800)."
  type        = number
  default     = 21600

  validation {
    condition     = var.stream_maximum_record_age_seconds == -1 || (var.stream_maximum_record_age_seconds >= 60 && var.stream_maximum_record_age_seconds <= 604800)
    error_message = "stream_maximum_record_age_seconds must be -1 or 60 to 604800."
  }
}

# --- Function URL callers ---

variable "url_invoker_principals" {
  description = "Who may call the ingest and query Function URLs: account ids or IAM role/user ARNs. Each gets lambda:InvokeFunctionUrl and lambda:InvokeFunction (via the URL). Not the admin URL (admin_url_invoker_principals)."
  type        = list(string)
  default     = []
}

variable "admin_url_invoker_principals" {
  description = "Account ids or IAM role/user ARNs allowed to call the admin Function URL (POST /admin/replay). Keep it to operators; the upstream systems in url_invoker_principals get no access to it."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "projector_extra_environment" {
  description = "More environment for the projector only: the notifications module's projector_environment (NOTIFY_BUS_NAME, NOTIFY_EACH_IMAGE)."
  type        = map(string)
  default     = {}
}
