variable "bucket_name" {
  description = "Name of the S3 bucket for Sluice artifacts (producer jar, connector plugin zips, Lambda jar, Kafka distribution)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for SSE-KMS."
  type        = string
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket (development accounts only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
