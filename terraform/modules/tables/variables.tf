variable "name_prefix" {
  description = "Prefix of the table names."
  type        = string
}

variable "deletion_protection" {
  description = "Deletion protection on the event table (the source of truth). Turn off, apply, then destroy."
  type        = bool
  default     = true
}

variable "view_point_in_time_recovery" {
  description = "Point-in-time recovery on the results view (it can be rebuilt from the events)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
