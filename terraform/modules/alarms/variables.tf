variable "name_prefix" {
  description = "Prefix of the alarm names."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic notified when an alarm fires or clears; null for alarms without notifications."
  type        = string
  default     = null
}

variable "function_names" {
  description = "Functions watched for Errors and Throttles, by role."
  type        = map(string)
}

variable "projector_function_name" {
  description = "The stream projector (IteratorAge)."
  type        = string
}

variable "classify_log_group_name" {
  description = "Log group of classify, whose 'arrival lost' lines are counted (ArrivalsLost)."
  type        = string
}

variable "classify_queue_name" {
  description = "The classify queue (age of the oldest message)."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "The classify queue's DLQ."
  type        = string
}

variable "stream_failure_queue_name" {
  description = "The projector's on-failure queue."
  type        = string
}

variable "errors_threshold" {
  description = "Errors per 5 minutes above which a function alarms."
  type        = number
  default     = 0
}

variable "iterator_age_threshold_ms" {
  description = "Projector lag (IteratorAge, ms) above which it alarms."
  type        = number
  default     = 60000
}

variable "oldest_message_age_seconds" {
  description = "Age of the oldest classify message above which the backlog alarm fires."
  type        = number
  default     = 900
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
