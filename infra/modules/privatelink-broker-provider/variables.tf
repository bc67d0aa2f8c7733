variable "name" {
  description = "Name prefix (short: NLB names are limited to 32 characters)."
  type        = string

  validation {
    condition     = length(var.name) <= 20
    error_message = "name must be at most 20 characters so that NLB and target group names fit."
  }
}

variable "vpc_id" {
  description = "VPC of the MSK cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the NLBs (the cluster's subnets)."
  type        = list(string)
}

variable "broker_ids" {
  description = "Broker IDs as strings (\"1\", \"2\", ...). Known at plan time; one NLB and one endpoint service is created per ID."
  type        = list(string)

  validation {
    condition     = length(var.broker_ids) > 0 && alltrue([for b in var.broker_ids : can(regex("^[0-9]+$", b))])
    error_message = "broker_ids must be numeric strings."
  }
}

variable "broker_nodes" {
  description = "Broker ID to { host = broker hostname, ip = broker ENI IP in the cluster VPC }, typically from data.aws_msk_broker_nodes."
  type = map(object({
    host = string
    ip   = string
  }))
}

variable "broker_port" {
  description = "Client port exposed through PrivateLink: 9094 (mTLS), 9096 (SASL/SCRAM) or 9098 (IAM)."
  type        = number
  default     = 9096

  validation {
    condition     = contains([9094, 9096, 9098], var.broker_port)
    error_message = "broker_port must be one of the TLS listener ports 9094, 9096 or 9098."
  }
}

variable "msk_security_group_id" {
  description = "Security group of the brokers; the module adds one ingress rule on broker_port from the NLB security group."
  type        = string
}

variable "allowed_principal_arns" {
  description = "Roles in the consumer accounts (the role that deploys the consumer stack) allowed to create endpoints to the broker services and to read the broker map secret. Named roles, never an account root; they must exist before this module is applied."
  type        = list(string)

  validation {
    condition     = length(var.allowed_principal_arns) > 0 && alltrue([for a in var.allowed_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "allowed_principal_arns must be a non-empty list of IAM role ARNs (no wildcards, no account root)."
  }
}

variable "acceptance_required" {
  description = "Require the provider account to accept each endpoint connection (on by default; turn off only when the allowed principals are trusted to connect without review)."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed key for the broker map secret; its policy must let the consumer accounts decrypt via Secrets Manager (kms-key module decrypt_principal_arns)."
  type        = string
}

variable "broker_map_secret_name" {
  description = "Name of the Secrets Manager secret holding the broker map."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
