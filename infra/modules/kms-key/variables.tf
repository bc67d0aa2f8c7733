variable "name" {
  description = "Alias name (without the alias/ prefix) and description of the key."
  type        = string
}

variable "service_principals" {
  description = "AWS service principals allowed to use the key for encryption in this account and region, e.g. logs.<region>.amazonaws.com, for log groups encrypted with it."
  type        = list(string)
  default     = []
}

variable "decrypt_account_ids" {
  description = "Other AWS account IDs whose principals may decrypt with this key (for secrets shared by resource policy). Their own IAM policies must also allow kms:Decrypt."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.decrypt_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "decrypt_account_ids must be 12-digit account IDs."
  }
}

variable "deletion_window_in_days" {
  description = "Waiting period before the key is deleted."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
