variable "region" {
  description = "AWS region (same as the producer account)."
  type        = string
}

variable "name" {
  description = "Short name prefix."
  type        = string
  default     = "sluice"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR of the consumer VPC."
  type        = string
  default     = "10.30.0.0/16"
}

variable "azs" {
  description = "Availability zones (use the same AZ IDs as the producer's brokers)."
  type        = list(string)
}

# ---- from the producer stack's outputs -------------------------------------------------------------------
variable "connectivity" {
  description = "privatelink or multi_vpc (producer stack output)."
  type        = string

  validation {
    condition     = contains(["privatelink", "multi_vpc"], var.connectivity)
    error_message = "connectivity must be privatelink or multi_vpc."
  }
}

variable "broker_map_secret_arn" {
  description = "Broker map secret shared by the producer account (privatelink)."
  type        = string
  default     = null
}

variable "msk_cluster_arn" {
  description = "Producer's cluster ARN (multi_vpc)."
  type        = string
  default     = null
}

variable "aggregator_scram_secret_arn" {
  description = "SCRAM secret of the aggregator in the producer account."
  type        = string
}

variable "producer_kms_key_arn" {
  description = "Producer account key protecting the shared secrets."
  type        = string
}

variable "topic" {
  description = "Readings topic."
  type        = string
  default     = "sensor-readings"
}

# ---- aggregator ------------------------------------------------------------------------------------------
variable "artifact_bucket_name" {
  description = "Bucket created here for the aggregator jar."
  type        = string
}

variable "lambda_jar_s3_key" {
  description = "S3 key of sluice-aggregator-<version>-lambda.jar."
  type        = string
}

variable "table_name" {
  description = "DynamoDB table of per-device windows."
  type        = string
  default     = "sluice-device-windows"
}

variable "window" {
  description = "Aggregation window (SLUICE_WINDOW)."
  type        = string
  default     = "1m"
}

variable "batch_size" {
  description = "Event source mapping batch size."
  type        = number
  default     = 500
}

variable "maximum_batching_window_in_seconds" {
  description = "Event source mapping batching window."
  type        = number
  default     = 5
}

variable "starting_position" {
  description = "TRIM_HORIZON or LATEST."
  type        = string
  default     = "TRIM_HORIZON"
}

variable "table_deletion_protection" {
  description = "Deletion protection of the DynamoDB table; set false and apply before the pipeline's destroy."
  type        = bool
  default     = true
}
