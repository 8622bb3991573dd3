variable "name_prefix" {
  description = "Prefix of the queue names."
  type        = string
}

variable "consumer_timeout_seconds" {
  description = "Timeout of the classify function that consumes the queue."
  type        = number
}

variable "visibility_timeout_multiplier" {
  description = "Queue visibility timeout as a multiple of the classify function timeout (AWS asks for at least 6)."
  type        = number
  default     = 6

  validation {
    condition     = var.visibility_timeout_multiplier >= 6
    error_message = "visibility_timeout_multiplier must be at least 6 (visibility >= 6 x the function timeout)."
  }
}

variable "batching_window_seconds" {
  description = "maximum_batching_window_in_seconds of the SQS event source mapping (added to the visibility timeout)."
  type        = number
  default     = 0
}

variable "max_receive_count" {
  description = "Deliveries of a message before SQS moves it to the DLQ (also CW_MAX_ATTEMPTS of the functions)."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be 1 to 1000."
  }
}

variable "message_retention_seconds" {
  description = "How long the classify queue keeps a message (default 4 days)."
  type        = number
  default     = 345600
}

variable "dead_letter_retention_seconds" {
  description = "How long the DLQs keep a message (default and maximum 14 days)."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_retention_seconds >= 60 && var.dead_letter_retention_seconds <= 1209600
    error_message = "dead_letter_retention_seconds must be 60 to 1209600."
  }
}

variable "arrival_expiration_days" {
  description = "Days after which the bucket's lifecycle deletes objects under incoming/ (the storage module's incoming_expiration_days): a message redriven from the DLQ must still find its arrival."
  type        = number
}

variable "source_bucket_name" {
  description = "The image bucket whose incoming/ objects are announced on the queue."
  type        = string
}

variable "source_bucket_arn" {
  description = "ARN of that bucket (the queue policy's aws:SourceArn)."
  type        = string
}

variable "source_account_id" {
  description = "Account that owns the bucket (the queue policy's aws:SourceAccount)."
  type        = string
}

variable "notification_prefix" {
  description = "Key prefix whose ObjectCreated events are sent to the queue."
  type        = string
  default     = "incoming/"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
