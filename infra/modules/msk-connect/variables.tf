variable "name" {
  description = "Connector name (also used for the plugin, worker configuration, role and log group)."
  type        = string
}

variable "kafkaconnect_version" {
  description = "MSK Connect (Apache Kafka Connect) version."
  type        = string
  default     = "2.7.1"
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster the connector uses (for the kafka-cluster IAM permissions)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.msk_cluster_arn))
    error_message = "msk_cluster_arn must be an MSK cluster ARN."
  }
}

variable "bootstrap_servers" {
  description = "IAM bootstrap brokers (port 9098). MSK Connect authenticates with IAM over TLS."
  type        = string
}

variable "vpc_id" {
  description = "VPC in which MSK Connect places the worker ENIs."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the workers."
  type        = list(string)
}

variable "security_group_id" {
  description = "Existing security group for the worker ENIs (for example created in an earlier pipeline stage). When null the module creates one. Either way the module adds the egress rules."
  type        = string
  default     = null
}

variable "kafka_security_group_id" {
  description = "Security group of the brokers; the workers get egress to it on 9098."
  type        = string
}

variable "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (Secrets Manager for the config provider, STS, KMS)."
  type        = string
}

variable "extra_egress" {
  description = "Additional egress from the workers, e.g. ClickHouse 8443 or Aurora 3306: map of a static label to { port, security_group_id }."
  type = map(object({
    port              = number
    security_group_id = string
  }))
  default = {}
}

variable "plugin_bucket_arn" {
  description = "ARN of the S3 bucket holding the plugin zip."
  type        = string
}

variable "plugin_s3_key" {
  description = "S3 key of the plugin zip. MSK Connect takes one custom plugin per connector, so the zip must also contain the Secrets Manager config provider."
  type        = string
}

variable "plugin_object_version" {
  description = "S3 object version of the plugin zip (pins the exact artifact)."
  type        = string
  default     = null
}

variable "worker_properties" {
  description = "Extra or overriding worker configuration properties."
  type        = map(string)
  default     = {}
}

variable "config_provider_class" {
  description = "Class of the Secrets Manager config provider bundled in the plugin zip (exposed as the `secretsmanager` provider)."
  type        = string
  default     = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider"
}

variable "connector_configuration" {
  description = "Connector configuration. Any key naming a password, secret or credential must be a config provider reference such as $${secretsmanager:<secret-arn>:password}."
  type        = map(string)

  validation {
    condition = alltrue([
      for k, v in var.connector_configuration :
      (startswith(v, "$${") || v == "software.amazon.msk.auth.iam.IAMLoginModule required;") if can(regex("(?i)(password|secret|credential|jaas)", k)) && !can(regex("(?i)(arn|region|provider|class)", k))
    ])
    error_message = "Secret-bearing connector properties must be config provider references ($${secretsmanager:...}), never plain text."
  }
  validation {
    condition     = contains(keys(var.connector_configuration), "connector.class")
    error_message = "connector_configuration must set connector.class."
  }
}

variable "secret_arns" {
  description = "Secrets Manager secrets the config provider may read."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "Customer managed key for the log group and for decrypting the secrets and plugin."
  type        = string
}

variable "read_topics" {
  description = "Topic names or prefixes ending in * the connector reads."
  type        = list(string)
  default     = []
}

variable "write_topics" {
  description = "Topic names or prefixes ending in * the connector writes (and may create)."
  type        = list(string)
  default     = []
}

variable "consumer_groups" {
  description = "Consumer groups the connector uses (a sink connector uses connect-<name>)."
  type        = list(string)
  default     = []
}

variable "capacity" {
  description = "Autoscaling capacity."
  type = object({
    mcu_count                 = optional(number, 1)
    min_worker_count          = optional(number, 1)
    max_worker_count          = optional(number, 2)
    scale_in_cpu_utilization  = optional(number, 20)
    scale_out_cpu_utilization = optional(number, 80)
  })
  default = {}

  validation {
    condition     = contains([1, 2, 4, 8], var.capacity.mcu_count) && var.capacity.min_worker_count >= 1 && var.capacity.max_worker_count >= var.capacity.min_worker_count
    error_message = "mcu_count must be 1, 2, 4 or 8 and 1 <= min_worker_count <= max_worker_count."
  }
}

variable "log_retention_days" {
  description = "Retention of the worker log group."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "s3_import_object_arns" {
  description = "S3 objects (ARNs) the workers may copy locally through the s3import config provider, e.g. a truststore: $${s3import:<region>:<bucket>/<key>}. Empty: no s3import provider."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.s3_import_object_arns : can(regex("^arn:aws[a-z-]*:s3:::[^*]+/[^*]+$", a))])
    error_message = "s3_import_object_arns must name objects (arn:aws:s3:::bucket/key), without wildcards."
  }
}

variable "s3_import_provider_class" {
  description = "Config provider class registered as s3import (from the same config provider jar as secretsmanager)."
  type        = string
  default     = "com.amazonaws.kafka.config.providers.S3ImportConfigProvider"
}
