variable "name_prefix" {
  description = "Prefix of every name (the bus is <name_prefix>-notifications)."
  type        = string
}

variable "projector_role_name" {
  description = "Name of the projector's execution role, which gets events:PutEvents on the bus."
  type        = string
}

variable "each_image" {
  description = "Also publish image.answered for every image's first outcome (one event per image: cost and volume scale with uploads)."
  type        = bool
  default     = false
}

variable "archive_retention_days" {
  description = "Days the bus's archive keeps every notification for replay; 0 for no archive."
  type        = number
  default     = 7
  validation {
    condition     = var.archive_retention_days >= 0 && floor(var.archive_retention_days) == var.archive_retention_days
    error_message = "archive_retention_days is a whole number of days, 0 for no archive."
  }
}

variable "tags" {
  description = "Tags for the bus."
  type        = map(string)
  default     = {}
}
