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

variable "database_security_group_id" {
  description = "Database security group (stage 10)."
  type        = string
}

variable "connector_security_group_id" {
  description = "Connector security group (stage 10)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key (stage 10)."
  type        = string
}

# ---- database --------------------------------------------------------------------------------------------
variable "engine_version" {
  description = "Aurora MySQL version."
  type        = string
  default     = "8.0.mysql_aurora.3.08.0"
}

variable "instance_class" {
  description = "Instance class."
  type        = string
  default     = "db.r6g.large"
}

variable "instance_count" {
  description = "Instances (writer + readers)."
  type        = number
  default     = 2
}

variable "database_name" {
  description = "Initial database, captured by Debezium."
  type        = string
  default     = "inventory"
}

variable "deletion_protection" {
  description = "Deletion protection of the cluster; set false and apply before the pipeline's destroy."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (development only)."
  type        = bool
  default     = false
}
