variable "name" {
  description = "Name prefix."
  type        = string
}

variable "target_cluster_arn" {
  description = "ARN of the MSK cluster in the owner account."
  type        = string
}

variable "authentication" {
  description = "Authentication the clients use over the connection: SASL_IAM, SASL_SCRAM or TLS."
  type        = string
  default     = "SASL_IAM"

  validation {
    condition     = contains(["SASL_IAM", "SASL_SCRAM", "TLS"], var.authentication)
    error_message = "authentication must be SASL_IAM, SASL_SCRAM or TLS."
  }
}

variable "vpc_id" {
  description = "Client VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Client subnets for the connection endpoints (same AZ IDs as the cluster's subnets)."
  type        = list(string)
}

variable "allowed_client_security_groups" {
  description = "Security groups of the Kafka clients in this VPC; map of a static label to a security group ID."
  type        = map(string)
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
