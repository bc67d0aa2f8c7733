variable "name" {
  description = "Function name; also the prefix of the queue, role and log group."
  type        = string
}

variable "artifact_bucket_name" {
  description = "S3 bucket holding the aggregator jar."
  type        = string
}

variable "lambda_jar_s3_key" {
  description = "S3 key of sluice-aggregator-<version>-lambda.jar."
  type        = string
}

variable "lambda_jar_object_version" {
  description = "S3 object version of the jar (pins the deployed artifact)."
  type        = string
  default     = null
}

variable "handler" {
  description = "Lambda handler."
  type        = string
  default     = "io.sluice.aggregator.lambda.KafkaEventHandler::handleRequest"
}

variable "runtime" {
  description = "Java runtime: java17 or java21."
  type        = string
  default     = "java21"

  validation {
    condition     = contains(["java17", "java21"], var.runtime)
    error_message = "runtime must be java17 or java21."
  }
}

variable "memory_size" {
  description = "Memory of the function in MB."
  type        = number
  default     = 1024
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 120
}

variable "snap_start" {
  description = "Enable SnapStart on published versions (cuts Java cold starts)."
  type        = bool
  default     = false
}

variable "aggregation" {
  description = "Aggregator settings passed as environment (SLUICE_WINDOW, SLUICE_ALLOWED_LATENESS, SLUICE_TTL, SLUICE_WRITE_CONCURRENCY)."
  type = object({
    window            = optional(string, "1m")
    allowed_lateness  = optional(string, "5m")
    ttl               = optional(string, "30d")
    write_concurrency = optional(number, 8)
  })
  default = {}
}

variable "table_name" {
  description = "DynamoDB table for per-device window aggregates."
  type        = string
}

variable "table_deletion_protection" {
  description = "Protect the table from deletion."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed key: DynamoDB, SQS, logs and function environment."
  type        = string
}

variable "topic" {
  description = "Topic of sensor readings."
  type        = string
  default     = "sensor-readings"
}

variable "consumer_group_id" {
  description = "Kafka consumer group of the event source mapping."
  type        = string
  default     = "sluice-aggregator"
}

variable "batch_size" {
  description = "Maximum records per invocation."
  type        = number
  default     = 500

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "batch_size must be between 1 and 10000."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "Maximum time to gather records before invoking."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300
    error_message = "maximum_batching_window_in_seconds must be between 0 and 300."
  }
}

variable "starting_position" {
  description = "Where a new consumer group starts: TRIM_HORIZON or LATEST."
  type        = string
  default     = "TRIM_HORIZON"

  validation {
    condition     = contains(["TRIM_HORIZON", "LATEST"], var.starting_position)
    error_message = "starting_position must be TRIM_HORIZON or LATEST."
  }
}

variable "event_source" {
  description = <<-EOT
    Kafka source. type = "msk": same-account MSK with IAM auth (msk_cluster_arn). type = "self_managed": any
    reachable Kafka (MSK in another account via PrivateLink or multi-VPC connectivity) with bootstrap_servers,
    SASL/SCRAM-512 secret_arn, and the vpc_id/subnet_ids where the pollers run; broker_security_group_id and port
    (and broker_port_to
    for a range, e.g. 14001-14100 with multi-VPC connectivity) give their only Kafka egress.
  EOT
  type = object({
    type                        = string
    msk_cluster_arn             = optional(string)
    bootstrap_servers           = optional(string)
    secret_arn                  = optional(string)
    vpc_id                      = optional(string)
    subnet_ids                  = optional(list(string), [])
    broker_security_group_id    = optional(string)
    broker_port                 = optional(number, 9096)
    broker_port_to              = optional(number)
    endpoints_security_group_id = optional(string)
  })

  validation {
    condition     = contains(["msk", "self_managed"], var.event_source.type)
    error_message = "event_source.type must be msk or self_managed."
  }
  validation {
    condition     = var.event_source.type != "msk" || var.event_source.msk_cluster_arn != null
    error_message = "msk_cluster_arn is required for an msk event source."
  }
  validation {
    condition     = var.event_source.type != "self_managed" || (var.event_source.bootstrap_servers != null && var.event_source.secret_arn != null && var.event_source.vpc_id != null && length(var.event_source.subnet_ids) > 0 && var.event_source.broker_security_group_id != null && var.event_source.endpoints_security_group_id != null)
    error_message = "A self_managed event source needs bootstrap_servers, secret_arn, vpc_id, subnet_ids, broker_security_group_id and endpoints_security_group_id."
  }
}

variable "additional_kms_key_arns" {
  description = "Other accounts' keys the function may decrypt with, e.g. the producer account's key protecting a shared SCRAM secret."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the function log group."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "provisioned_pollers" {
  description = "Provisioned pollers of the event source mapping ({ minimum_pollers, maximum_pollers }). Only with them does the mapping turn on ReportBatchItemFailures (partial batch responses); null (default) leaves it off, and the handler fails a whole batch on any error."
  type = object({
    minimum_pollers = number
    maximum_pollers = number
  })
  default = null

  validation {
    condition     = var.provisioned_pollers == null || (try(var.provisioned_pollers.minimum_pollers >= 1 && var.provisioned_pollers.maximum_pollers >= var.provisioned_pollers.minimum_pollers && var.provisioned_pollers.maximum_pollers <= 2000, false))
    error_message = "provisioned_pollers needs 1 <= minimum_pollers <= maximum_pollers <= 2000."
  }
}

variable "replay_trusted_principal_arns" {
  description = "Principals (role ARNs) that may assume the replay role, the only reader of the on-failure queue. Empty: this account's IAM decides (its root)."
  type        = list(string)
  default     = []
}

variable "alarm_actions" {
  description = "ARNs notified when the on-failure queue holds a message (for example an SNS topic)."
  type        = list(string)
  default     = []
}
