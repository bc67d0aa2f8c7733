variable "region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "name" {
  description = "Short name prefix."
  type        = string
  default     = "sluice-cdc"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR of the CDC VPC."
  type        = string
  default     = "10.70.0.0/16"
}

variable "azs" {
  description = "Two or three availability zones."
  type        = list(string)
}

variable "artifact_bucket_name" {
  description = "Artifact bucket (Debezium plugin zip)."
  type        = string
}
