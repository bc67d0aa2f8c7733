variable "region" {
  description = "AWS region (same as account A)."
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
  description = "CIDR of the Connect VPC (must equal connect_vpc_cidr in account A)."
  type        = string
  default     = "10.60.0.0/16"
}

variable "azs" {
  description = "Two availability zones."
  type        = list(string)
}

# ---- from the MSK account's outputs ----------------------------------------------------------------------
variable "transit_gateway_id" {
  description = "Transit Gateway shared by account A."
  type        = string
}

variable "resource_share_arn" {
  description = "RAM share to accept (null inside one AWS Organization with RAM sharing enabled)."
  type        = string
  default     = null
}

variable "msk_vpc_cidr" {
  description = "CIDR of the MSK VPC."
  type        = string
}

variable "bootstrap_brokers_sasl_scram" {
  description = "SCRAM bootstrap brokers of the cluster in account A."
  type        = string
}

variable "connect_scram_secret_arn" {
  description = "SCRAM secret in account A shared with this account."
  type        = string
}

variable "msk_kms_key_arn" {
  description = "Account A's key protecting the SCRAM secret."
  type        = string
}

variable "topic" {
  description = "Readings topic."
  type        = string
  default     = "sensor-readings"
}

# ---- Connect and ClickHouse ------------------------------------------------------------------------------
variable "artifact_bucket_name" {
  description = "Artifact bucket created here (Kafka distribution, plugin zips)."
  type        = string
}

variable "kafka_distribution_s3_key" {
  description = "S3 key of the Apache Kafka binary distribution (kafka_2.13-<version>.tgz)."
  type        = string
}

variable "sink_plugin_s3_key" {
  description = "S3 key of sluice-clickhouse-sink-<version>-plugin.zip."
  type        = string
}

variable "config_provider_plugin_s3_key" {
  description = "S3 key of a zip with the Secrets Manager config provider jar(s)."
  type        = string
}

variable "connect_instance_type" {
  description = "Worker instance type."
  type        = string
  default     = "t3.large"
}

variable "connect_worker_count" {
  description = "Workers (>= 2)."
  type        = number
  default     = 2
}

variable "internal_topic_replication_factor" {
  description = "Replication factor of Connect's internal topics (<= broker count)."
  type        = number
  default     = 2
}

variable "clickhouse_service_name" {
  description = "ClickHouse Cloud PrivateLink endpoint service name for the region."
  type        = string
}

variable "clickhouse_url" {
  description = "HTTPS URL of the ClickHouse Cloud service (its private DNS name resolves to the endpoint), port 8443."
  type        = string

  validation {
    condition     = startswith(var.clickhouse_url, "https://") && endswith(var.clickhouse_url, ":8443")
    error_message = "clickhouse_url must be https://<host>:8443."
  }
}

variable "clickhouse_database" {
  description = "ClickHouse database of the sink."
  type        = string
  default     = "sluice"
}

variable "sink_tasks" {
  description = "tasks.max of the sink connector."
  type        = number
  default     = 2
}
