variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "Consumer VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the interface endpoints (in AZs the provider's NLBs also use)."
  type        = list(string)
}

variable "broker_map" {
  description = "Broker ID to { host, port, endpoint_service_name }: the JSON of the provider's broker map secret, decoded."
  type = map(object({
    host                  = string
    port                  = number
    endpoint_service_name = string
  }))

  validation {
    condition     = length(var.broker_map) > 0
    error_message = "broker_map must list at least one broker."
  }
}

variable "allowed_client_security_groups" {
  description = "Security groups of the Kafka clients (Lambda event source mapping, Connect workers); map of a static label to a security group ID."
  type        = map(string)
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
