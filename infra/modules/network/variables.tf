variable "name" {
  description = "Name prefix for every resource in this module."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr_block, 0))
    error_message = "cidr_block must be a valid IPv4 CIDR."
  }
}

variable "azs" {
  description = "Availability zones to spread the private subnets across (at least two)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2
    error_message = "At least two availability zones are required."
  }
}

variable "private_subnet_newbits" {
  description = "Bits added to the VPC prefix for each private subnet (a /16 VPC with 4 gives /20 subnets)."
  type        = number
  default     = 4
}

variable "enable_nat_gateway" {
  description = "Create public subnets, an internet gateway and one NAT gateway per AZ. Off by default: every Sluice component reaches AWS through VPC endpoints."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "AWS service short names that get an interface VPC endpoint (private DNS on)."
  type        = list(string)
  default     = ["ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs", "sts"]
}

variable "enable_s3_gateway_endpoint" {
  description = "Create the S3 gateway endpoint on the private route tables."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "flow_logs_kms_key_arn" {
  description = "Customer managed key for the VPC flow log group; its policy must let CloudWatch Logs use it. Null: the module creates one (kms-key)."
  type        = string
  default     = null
}

variable "flow_logs_retention_days" {
  description = "Retention of the VPC flow logs (all traffic, accepted and rejected)."
  type        = number
  default     = 90
}
