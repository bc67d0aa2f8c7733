variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the Kafka Connect workers."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the interface endpoint (one per AZ)."
  type        = list(string)
}

variable "service_name" {
  description = "ClickHouse Cloud PrivateLink endpoint service name for the region (from the ClickHouse Cloud console or API), e.g. com.amazonaws.vpce.eu-west-1.vpce-svc-xxxxxxxx."
  type        = string

  validation {
    condition     = can(regex("^com\\.amazonaws\\.vpce\\.[a-z0-9-]+\\.vpce-svc-[0-9a-f]+$", var.service_name))
    error_message = "service_name must be a VPC endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-...)."
  }
}

variable "client_security_groups" {
  description = "Security groups of the Kafka Connect workers allowed to reach ClickHouse on 8443; map of a static label to a security group ID."
  type        = map(string)

  validation {
    condition     = length(var.client_security_groups) > 0
    error_message = "Name at least one client security group."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
