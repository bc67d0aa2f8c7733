variable "name" {
  description = "Secret name after the AmazonMSK_ prefix that MSK requires for SCRAM secrets, for example sluice_aggregator."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_/+=.@-]{1,200}$", var.name))
    error_message = "name may hold letters, digits and _/+=.@- only."
  }
}

variable "username" {
  description = "SCRAM user name stored in the secret."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key for the secret (MSK does not accept SCRAM secrets under the AWS managed key)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a customer managed key."
  }
}

variable "reader_principal_arns" {
  description = "Roles, usually in another account, that may read the secret (for example the consumer's Lambda or Connect role). The policy names their accounts and restricts them to these roles (aws:PrincipalArn). Empty: no resource policy."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.reader_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "reader_principal_arns must be IAM role ARNs (no wildcards, no account root)."
  }
}

variable "password_length" {
  description = "Length of the generated password (letters and digits)."
  type        = number
  default     = 32

  validation {
    condition     = var.password_length >= 24 && var.password_length <= 128
    error_message = "password_length must be between 24 and 128."
  }
}

variable "password_version" {
  description = "Bump to generate and store a new password (write-only attributes are only written when this changes)."
  type        = number
  default     = 1
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
