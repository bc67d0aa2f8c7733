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

# ---- from stages 10, 20 and 30 ---------------------------------------------------------------------------
variable "vpc_id" {
  description = "VPC (stage 10)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (stage 10)."
  type        = list(string)
}

variable "endpoints_security_group_id" {
  description = "Endpoint security group (stage 10)."
  type        = string
}

variable "database_security_group_id" {
  description = "Database security group (stage 10)."
  type        = string
}

variable "connector_security_group_id" {
  description = "Connector security group (stage 10)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key (stage 10)."
  type        = string
}

variable "artifact_bucket_arn" {
  description = "Artifact bucket ARN (stage 10)."
  type        = string
}

variable "database_hostname" {
  description = "Aurora writer endpoint (stage 20)."
  type        = string
}

variable "database_name" {
  description = "Captured database (stage 20)."
  type        = string
}

variable "database_secret_arn" {
  description = "Debezium user's secret (stage 20, filled by the documented step)."
  type        = string
}

variable "msk_cluster_arn" {
  description = "Cluster ARN (stage 30)."
  type        = string
}

variable "bootstrap_brokers_sasl_iam" {
  description = "IAM bootstrap brokers (stage 30)."
  type        = string
}

variable "msk_security_group_id" {
  description = "Broker security group (stage 30)."
  type        = string
}

# ---- connector -------------------------------------------------------------------------------------------
variable "debezium_plugin_s3_key" {
  description = "S3 key of the Debezium MySQL plugin zip (with the Secrets Manager config provider)."
  type        = string
}

variable "topic_prefix" {
  description = "Topic prefix: topics are <prefix>.<database>.<table>."
  type        = string
  default     = "sluice"
}

variable "table_include_list" {
  description = "Optional <database>.<table> filter."
  type        = list(string)
  default     = []
}
