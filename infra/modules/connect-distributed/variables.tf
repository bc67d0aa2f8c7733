variable "name" {
  description = "Name prefix; also the Connect group.id and the prefix of its internal topics."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the workers."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the workers (spread across AZs)."
  type        = list(string)
}

variable "instance_type" {
  description = "Worker instance type."
  type        = string
  default     = "t3.large"
}

variable "min_size" {
  description = "Minimum workers (at least 2 for fault tolerance)."
  type        = number
  default     = 2

  validation {
    condition     = var.min_size >= 2
    error_message = "Distributed Connect needs at least 2 workers."
  }
}

variable "max_size" {
  description = "Maximum workers."
  type        = number
  default     = 4
}

variable "desired_capacity" {
  description = "Desired workers."
  type        = number
  default     = 2
}

variable "ami_ssm_parameter" {
  description = "SSM public parameter that resolves the Amazon Linux 2023 AMI."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "java_package" {
  description = "Java runtime package from the Amazon Linux repositories."
  type        = string
  default     = "java-21-amazon-corretto-headless"
}

variable "root_volume_size" {
  description = "Root EBS volume size in GiB."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "Customer managed key (EBS, logs, SSE-KMS artifacts, secrets)."
  type        = string
}

variable "artifact_bucket_name" {
  description = "S3 bucket with the Kafka distribution and the plugin zips."
  type        = string
}

variable "kafka_distribution_s3_key" {
  description = "S3 key of an Apache Kafka binary distribution (kafka_2.13-<version>.tgz), uploaded once; workers never download from the internet."
  type        = string
}

variable "plugin_s3_keys" {
  description = "S3 keys of plugin zips unpacked into plugin.path (the Sluice ClickHouse sink zip, the Secrets Manager config provider)."
  type        = list(string)

  validation {
    condition     = length(var.plugin_s3_keys) > 0 && alltrue([for k in var.plugin_s3_keys : endswith(k, ".zip")])
    error_message = "plugin_s3_keys must list one or more .zip keys."
  }
}

variable "bootstrap_servers" {
  description = "Kafka bootstrap servers."
  type        = string
}

variable "kafka_auth" {
  description = "Worker authentication to Kafka: SCRAM (SASL/SCRAM-SHA-512, works across accounts) or IAM (same-account MSK)."
  type        = string
  default     = "SCRAM"

  validation {
    condition     = contains(["IAM", "SCRAM"], var.kafka_auth)
    error_message = "kafka_auth must be IAM or SCRAM."
  }
}

variable "scram_secret_arn" {
  description = "Secret with {\"username\",\"password\"} for SCRAM, read when the service starts."
  type        = string
  default     = null

  validation {
    condition     = var.kafka_auth != "SCRAM" || var.scram_secret_arn != null
    error_message = "scram_secret_arn is required when kafka_auth is SCRAM."
  }
}

variable "msk_cluster_arn" {
  description = "MSK cluster ARN for kafka-cluster IAM permissions (IAM auth only)."
  type        = string
  default     = null

  validation {
    condition     = var.kafka_auth != "IAM" || var.msk_cluster_arn != null
    error_message = "msk_cluster_arn is required when kafka_auth is IAM."
  }
}

variable "kafka_port" {
  description = "Broker port the workers may reach (9096 SCRAM, 9098 IAM)."
  type        = number
  default     = 9096
}

variable "kafka_destination" {
  description = "Where the brokers are: a security group in this VPC, or a CIDR (another VPC behind a Transit Gateway). Exactly one of the two."
  type = object({
    security_group_id = optional(string)
    cidr              = optional(string)
  })

  validation {
    condition     = (var.kafka_destination.security_group_id == null) != (var.kafka_destination.cidr == null)
    error_message = "Set exactly one of kafka_destination.security_group_id and kafka_destination.cidr."
  }
  validation {
    condition     = var.kafka_destination.cidr == null || (can(cidrhost(coalesce(var.kafka_destination.cidr, "0.0.0.0/32"), 0)) && !endswith(coalesce(var.kafka_destination.cidr, "x"), "/0"))
    error_message = "kafka_destination.cidr must be a specific CIDR."
  }
}

variable "sink_destinations" {
  description = "Other targets the workers write to, e.g. the ClickHouse endpoint on 8443: map of a static label to { port, security_group_id }."
  type = map(object({
    port              = number
    security_group_id = string
  }))
  default = {}
}

variable "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (SSM, Secrets Manager, KMS, logs)."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint."
  type        = string
}

variable "internal_topic_replication_factor" {
  description = "Replication factor of the config, offset and status topics (at most the broker count)."
  type        = number
  default     = 3

  validation {
    condition     = var.internal_topic_replication_factor >= 2
    error_message = "Internal topics need a replication factor of at least 2."
  }
}

variable "config_provider_class" {
  description = "Class of the Secrets Manager config provider (in one of the plugin zips), registered as `secretsmanager`."
  type        = string
  default     = "com.amazonaws.kafka.config.providers.SecretsManagerConfigProvider"
}

variable "secret_arns" {
  description = "Secrets the config provider may read for connector configs (e.g. the ClickHouse credentials)."
  type        = list(string)
  default     = []
}

variable "connectors" {
  description = "Connectors to create or update through the REST API once the workers are up: map of connector name to its configuration. Secret-bearing properties must be $${secretsmanager:...} references."
  type        = map(map(string))
  default     = {}

  validation {
    condition = alltrue(flatten([
      for name, cfg in var.connectors : [
        for k, v in cfg : (startswith(v, "$${") || v == "software.amazon.msk.auth.iam.IAMLoginModule required;") if can(regex("(?i)(password|secret|credential|jaas)", k)) && !can(regex("(?i)(arn|region|provider|class)", k))
      ]
    ]))
    error_message = "Secret-bearing connector properties must be config provider references ($${secretsmanager:...}), never plain text."
  }
}

variable "additional_kms_key_arns" {
  description = "Other accounts' keys the workers may decrypt with, e.g. the MSK account's key protecting a shared SCRAM secret."
  type        = list(string)
  default     = []
}

variable "heap_opts" {
  description = "KAFKA_HEAP_OPTS of the worker JVM."
  type        = string
  default     = "-Xms2g -Xmx4g"
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

variable "rest_basic_auth_secret_arn" {
  description = "Secret with {\"username\",\"password\"} for HTTP basic authentication on the Connect REST API (BasicAuthSecurityRestExtension with a JAAS file written at start). Null: no REST authentication; the REST API then listens on the private address and only the workers' own security group reaches it (see README)."
  type        = string
  default     = null
}
