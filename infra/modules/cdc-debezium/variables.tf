variable "name" {
  description = "Connector name."
  type        = string
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster receiving the change events."
  type        = string
}

variable "bootstrap_servers" {
  description = "IAM bootstrap brokers (9098) of the cluster."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the connector workers."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the connector workers."
  type        = list(string)
}

variable "security_group_id" {
  description = "Existing security group for the connector (from the security-group stage); null to create one."
  type        = string
  default     = null
}

variable "kafka_security_group_id" {
  description = "Security group of the brokers."
  type        = string
}

variable "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (Secrets Manager, STS, KMS)."
  type        = string
}

variable "database_security_group_id" {
  description = "Security group of the Aurora cluster; the connector gets egress to it on database_port."
  type        = string
}

variable "database_hostname" {
  description = "Aurora writer endpoint."
  type        = string
}

variable "database_port" {
  description = "MySQL port."
  type        = number
  default     = 3306
}

variable "database_secret_arn" {
  description = "Secret with the Debezium user's {\"username\",\"password\"}, read through the config provider."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:secretsmanager:", var.database_secret_arn))
    error_message = "database_secret_arn must be a Secrets Manager secret ARN."
  }
}

variable "database_include_list" {
  description = "Databases to capture."
  type        = list(string)

  validation {
    condition     = length(var.database_include_list) > 0
    error_message = "Capture at least one database."
  }
}

variable "table_include_list" {
  description = "Optional <database>.<table> list; empty captures every table of the included databases."
  type        = list(string)
  default     = []
}

variable "topic_prefix" {
  description = "Logical server name: topics are <topic_prefix>.<database>.<table>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]+$", var.topic_prefix))
    error_message = "topic_prefix may contain letters, digits, underscores and hyphens only."
  }
}

variable "database_server_id" {
  description = "Unique replication server ID of the connector (must differ from every other replica of the cluster)."
  type        = number
  default     = 184054
}

variable "topic_replication_factor" {
  description = "Replication factor of topics the connector creates."
  type        = number
  default     = 2
}

variable "topic_partitions" {
  description = "Partitions of topics the connector creates."
  type        = number
  default     = 3
}

variable "plugin_bucket_arn" {
  description = "ARN of the artifact bucket."
  type        = string
}

variable "plugin_s3_key" {
  description = "S3 key of the Debezium MySQL plugin zip (Debezium connector jars plus the Secrets Manager config provider)."
  type        = string
}

variable "plugin_object_version" {
  description = "S3 object version of the plugin zip."
  type        = string
  default     = null
}

variable "extra_connector_configuration" {
  description = "Additional or overriding Debezium properties (for example converters or SMTs). Secret-bearing keys must be config provider references."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.extra_connector_configuration :
      (startswith(v, "$${") || v == "software.amazon.msk.auth.iam.IAMLoginModule required;") if can(regex("(?i)(password|secret|credential|jaas)", k)) && !can(regex("(?i)(arn|region|provider|class)", k))
    ])
    error_message = "Secret-bearing connector properties must be config provider references ($${secretsmanager:...}), never plain text."
  }
}

variable "kms_key_arn" {
  description = "Customer managed key (logs, secret decryption)."
  type        = string
}

variable "capacity" {
  description = "MSK Connect autoscaling capacity (a MySQL source runs one task)."
  type = object({
    mcu_count                 = optional(number, 1)
    min_worker_count          = optional(number, 1)
    max_worker_count          = optional(number, 2)
    scale_in_cpu_utilization  = optional(number, 20)
    scale_out_cpu_utilization = optional(number, 80)
  })
  default = {}
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "database_truststore_s3_key" {
  description = "Key, in the plugin bucket, of a JKS truststore holding the RDS CA bundle (global-bundle.pem imported with keytool, see README); the connector verifies the database certificate and host name against it (database.ssl.mode=verify_identity)."
  type        = string
  default     = "rds-ca/rds-global-bundle.jks"
}
