variable "name" {
  description = "Alias name (without the alias/ prefix) and description of the key."
  type        = string
}

variable "service_principals" {
  description = "AWS service principals allowed to use the key for encryption in this account and region, e.g. logs.<region>.amazonaws.com, for log groups encrypted with it."
  type        = list(string)
  default     = []
}

variable "decrypt_principal_arns" {
  description = "Roles in other accounts that may decrypt with this key through Secrets Manager (for secrets shared by resource policy). The key policy names their accounts and restricts them to these roles (aws:PrincipalArn); the roles' own IAM policies must also allow kms:Decrypt."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.decrypt_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "decrypt_principal_arns must be IAM role ARNs (no wildcards, no account root)."
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
