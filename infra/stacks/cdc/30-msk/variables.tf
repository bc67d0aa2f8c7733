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

# ---- from stage 10 ---------------------------------------------------------------------------------------
variable "vpc_id" {
  description = "VPC (stage 10)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (stage 10)."
  type        = list(string)
}

variable "connector_security_group_id" {
  description = "Connector security group (stage 10)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key (stage 10)."
  type        = string
}

# ---- cluster ---------------------------------------------------------------------------------------------
variable "kafka_version" {
  description = "Kafka version."
  type        = string
  default     = "3.6.0"
}

variable "broker_instance_type" {
  description = "Broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_count" {
  description = "Brokers."
  type        = number
  default     = 2
}
