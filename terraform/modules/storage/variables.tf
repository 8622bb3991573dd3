variable "bucket_name" {
  description = "Name of the image bucket (globally unique)."
  type        = string
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete a bucket that still holds objects. Keep false outside throw-away environments."
  type        = bool
  default     = false
}

variable "incoming_expiration_days" {
  description = "Days after which objects under incoming/ are deleted whether handled or not. Keep it longer than the classify DLQ keeps a message (the queue module checks: DLQ retention + 1 day), or a redriven message finds its arrival gone."
  type        = number
  default     = 15

  validation {
    condition     = var.incoming_expiration_days >= 1
    error_message = "incoming_expiration_days must be at least 1."
  }
}

variable "extra_bucket_policy_json" {
  description = "More bucket-policy documents (JSON, e.g. from aws_iam_policy_document) merged into the bucket's policy: cross-account writers of incoming/, say. Their statement ids must differ from DenyInsecureTransport and DenyOldTls."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
