variable "name" {
  description = "Cluster name."
  type        = string
}

variable "kafka_version" {
  description = "Apache Kafka version of the cluster."
  type        = string
  default     = "3.6.0"
}

variable "broker_instance_type" {
  description = "Broker instance type: Standard brokers (kafka.m7g.large, ...) or Express brokers (express.m7g.large, ...; storage is managed by MSK, so ebs_volume_size and storage autoscaling do not apply). kafka.t3.small is not allowed with multi-VPC connectivity."
  type        = string
  default     = "kafka.m7g.large"

  validation {
    condition     = can(regex("^kafka\\.[a-z0-9]+\\.[a-z0-9]+$", var.broker_instance_type)) || can(regex("^express\\.m7g\\.(large|[0-9]*xlarge)$", var.broker_instance_type))
    error_message = "broker_instance_type must look like kafka.m7g.large (Standard) or express.m7g.large (Express)."
  }
  validation {
    condition     = !startswith(var.broker_instance_type, "express.") || length(var.subnet_ids) == 3
    error_message = "Express brokers run in three Availability Zones: give three subnet_ids."
  }
  validation {
    condition     = !(var.enable_multi_vpc_connectivity && var.broker_instance_type == "kafka.t3.small")
    error_message = "MSK multi-VPC private connectivity is not supported on kafka.t3.small brokers; pick kafka.m5.large or larger."
  }
}

variable "number_of_broker_nodes" {
  description = "Number of brokers; a multiple of the number of subnets."
  type        = number
  default     = 2

  validation {
    condition     = var.number_of_broker_nodes >= 2 && var.number_of_broker_nodes % length(var.subnet_ids) == 0
    error_message = "number_of_broker_nodes must be at least 2 and a multiple of the number of subnets."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private client subnets, one per AZ (2 or 3)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 3
    error_message = "MSK needs two or three client subnets in distinct AZs."
  }
}

variable "ebs_volume_size" {
  description = "Initial EBS storage per broker, in GiB."
  type        = number
  default     = 100
}

variable "storage_autoscaling_max_size" {
  description = "Upper bound of storage autoscaling per broker, in GiB (0 disables autoscaling)."
  type        = number
  default     = 1000

  validation {
    condition     = var.storage_autoscaling_max_size == 0 || var.storage_autoscaling_max_size > var.ebs_volume_size
    error_message = "storage_autoscaling_max_size must be 0 or larger than ebs_volume_size."
  }
}

variable "storage_autoscaling_target_utilization" {
  description = "Disk utilisation (percent) that storage autoscaling keeps the brokers under."
  type        = number
  default     = 60
}

variable "client_authentication" {
  description = "Client authentication methods. All listeners are TLS; ports: mTLS 9094, SASL/SCRAM 9096, IAM 9098. Unauthenticated access is never enabled."
  type = object({
    iam             = optional(bool, true)
    scram           = optional(bool, false)
    mtls_ca_arns    = optional(list(string), [])
    multi_vpc_iam   = optional(bool, true)
    multi_vpc_scram = optional(bool, false)
    multi_vpc_tls   = optional(bool, false)
  })
  default = {}

  validation {
    condition     = var.client_authentication.iam || var.client_authentication.scram || length(var.client_authentication.mtls_ca_arns) > 0
    error_message = "Enable at least one client authentication method (iam, scram or mtls_ca_arns)."
  }
}

variable "enable_multi_vpc_connectivity" {
  description = "Turn on MSK multi-VPC private connectivity (managed PrivateLink) for the enabled multi_vpc_* auth methods."
  type        = bool
  default     = false
}

variable "scram_secret_arns" {
  description = "Secrets Manager secret ARNs (name prefix AmazonMSK_, encrypted with a customer managed key) to associate as SCRAM users."
  type        = list(string)
  default     = []
}

variable "allowed_client_security_groups" {
  description = "Security groups whose members may reach the brokers on the enabled client ports; map of a static label to a security group ID."
  type        = map(string)
  default     = {}
}

variable "allowed_client_cidrs" {
  description = "CIDR blocks (for example a peer VPC behind a Transit Gateway) that may reach the brokers on the enabled client ports; map of a static label to a CIDR."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for c in values(var.allowed_client_cidrs) : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "allowed_client_cidrs must be valid, non-default CIDR blocks."
  }
}

variable "server_properties" {
  description = "Extra or overriding broker properties for the MSK configuration."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for data at rest and for the broker log group."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the broker log group."
  type        = number
  default     = 30
}

variable "enhanced_monitoring" {
  description = "MSK enhanced monitoring level."
  type        = string
  default     = "PER_BROKER"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
