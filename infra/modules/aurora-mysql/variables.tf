variable "name" {
  description = "Cluster identifier and name prefix."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (at least two AZs) for the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "Aurora needs subnets in at least two AZs."
  }
}

variable "security_group_id" {
  description = "Existing security group for the cluster (for example from the pipeline's security-group stage). When null the module creates one."
  type        = string
  default     = null
}

variable "allowed_client_security_groups" {
  description = "Security groups allowed to reach MySQL on 3306 (Debezium connector, admin host); map of a static label to a security group ID."
  type        = map(string)
  default     = {}
}

variable "engine_version" {
  description = "Aurora MySQL engine version (8.0-compatible, parameter group family aurora-mysql8.0)."
  type        = string
  default     = "8.0.mysql_aurora.3.08.0"
}

variable "instance_class" {
  description = "Instance class of the cluster instances."
  type        = string
  default     = "db.r6g.large"
}

variable "instance_count" {
  description = "Number of instances (1 writer + readers)."
  type        = number
  default     = 2
}

variable "database_name" {
  description = "Initial database."
  type        = string
  default     = "sluice"
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager (manage_master_user_password)."
  type        = string
  default     = "sluice_admin"
}

variable "kms_key_arn" {
  description = "Customer managed key for storage, the master user secret, Performance Insights and logs."
  type        = string
}

variable "backup_retention_period" {
  description = "Days of automated backups (binary logging requires backups)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_period >= 1
    error_message = "Binary logging needs automated backups: backup_retention_period >= 1."
  }
}

variable "deletion_protection" {
  description = "Protect the cluster from deletion."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (development only)."
  type        = bool
  default     = false
}

variable "cluster_parameters" {
  description = "Extra cluster parameters (name -> value, applied pending-reboot). binlog_format, binlog_row_image, binlog_transaction_compression and require_secure_transport are pinned by the module."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.cluster_parameters), ["binlog_format", "binlog_row_image", "binlog_transaction_compression", "require_secure_transport"])) == 0
    error_message = "binlog_format, binlog_row_image, binlog_transaction_compression and require_secure_transport are pinned for CDC (ROW, FULL, OFF, ON) and cannot be overridden."
  }
}

variable "log_exports" {
  description = "Log types exported to CloudWatch (into KMS-encrypted log groups created here)."
  type        = list(string)
  default     = ["audit", "error", "slowquery"]
}

variable "log_retention_days" {
  description = "Retention of the exported logs."
  type        = number
  default     = 30
}

variable "enable_http_endpoint" {
  description = "Enable the RDS Data API, which the documented Debezium-user step uses to run SQL without a network path into the VPC."
  type        = bool
  default     = true
}

variable "debezium_username" {
  description = "MySQL user the Debezium connector uses (created by the documented step, not by Terraform)."
  type        = string
  default     = "debezium"
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
