variable "name" {
  description = "Name of the fleet: its security group, role, instance profile, Auto Scaling group and instances (for example sluice-connect)."
  type        = string
}

variable "description" {
  description = "What the fleet runs and which traffic it allows (the security group description)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the fleet."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the Auto Scaling group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids must name at least one subnet."
  }
}

variable "ami_ssm_parameter" {
  description = "SSM parameter holding the AMI ID (Amazon Linux 2023 by default)."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "instance_type" {
  description = "EC2 instance type."
  type        = string
}

variable "root_volume_size" {
  description = "Root volume size in GiB (gp3, encrypted with kms_key_arn)."
  type        = number
  default     = 20
}

variable "kms_key_arn" {
  description = "Customer managed key for the root volumes and the log group."
  type        = string
}

variable "user_data" {
  description = "Cloud-init user data (plain text; the module base64-encodes it). Must hold no secret: read secrets at run time."
  type        = string
}

variable "log_group_name" {
  description = "CloudWatch log group the instances ship their service log to (created here, KMS-encrypted)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the log group."
  type        = number
  default     = 30
}

variable "policy_name" {
  description = "Name of the instance role's inline policy."
  type        = string
}

variable "policy_statements" {
  description = "IAM statements of the instance role, besides shipping logs to log_group_name (added here) and SSM Session Manager (AmazonSSMManagedInstanceCore)."
  type        = any
}

variable "egress_rules" {
  description = "Egress rules of the fleet's security group: name -> { port, security_group_id | cidr | prefix_list_id, description }; security_group_id = \"self\" means the fleet's own group. There is no other egress."
  type = map(object({
    port              = number
    security_group_id = optional(string)
    cidr              = optional(string)
    prefix_list_id    = optional(string)
    description       = string
  }))

  validation {
    condition     = alltrue([for r in values(var.egress_rules) : length(compact([r.security_group_id, r.cidr, r.prefix_list_id])) == 1])
    error_message = "Each egress rule names exactly one of security_group_id, cidr or prefix_list_id."
  }
  validation {
    condition     = alltrue([for r in values(var.egress_rules) : r.cidr == null || !endswith(coalesce(r.cidr, "x"), "/0")])
    error_message = "Egress to a /0 CIDR is not allowed; name the destination."
  }
}

variable "ingress_from_self_ports" {
  description = "Ports the instances accept from each other (same security group), for example 8083 for Kafka Connect REST. No other ingress."
  type        = map(string)
  default     = {}
}

variable "min_size" {
  description = "Minimum number of instances."
  type        = number
}

variable "max_size" {
  description = "Maximum number of instances."
  type        = number
}

variable "desired_capacity" {
  description = "Desired number of instances."
  type        = number
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
