variable "name" {
  description = "Name prefix."
  type        = string
}

variable "create_transit_gateway" {
  description = "Create a Transit Gateway here (hub account). Leave false to attach to an existing one (transit_gateway_id)."
  type        = bool
  default     = false
}

variable "transit_gateway_id" {
  description = "Existing Transit Gateway to attach to when create_transit_gateway is false (shared to this account through RAM)."
  type        = string
  default     = null
}

variable "share_with_account_ids" {
  description = "Accounts the created Transit Gateway is shared with through AWS RAM."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.share_with_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "share_with_account_ids must be 12-digit account IDs."
  }
}

variable "auto_accept_shared_attachments" {
  description = "Let attachments from the share_with accounts be accepted automatically (created gateway only). Off by default: the hub account accepts each attachment (accept_attachment_ids)."
  type        = bool
  default     = false
}

variable "accept_attachment_ids" {
  description = "Hub account: VPC attachments of spoke accounts to accept (their attachment_id output), one by one after review."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.accept_attachment_ids : can(regex("^tgw-attach-[0-9a-f]+$", a))])
    error_message = "accept_attachment_ids must be Transit Gateway attachment IDs (tgw-attach-...)."
  }
}

variable "resource_share_arn_to_accept" {
  description = "RAM resource share to accept in this (spoke) account, when the accounts are not in the same AWS Organization."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC to attach."
  type        = string
}

variable "subnet_ids" {
  description = "One subnet per AZ for the attachment."
  type        = list(string)
}

variable "route_table_ids" {
  description = "Route tables of this VPC that get routes to destination_cidrs through the gateway."
  type        = list(string)
}

variable "destination_cidrs" {
  description = "Remote CIDRs reached through the gateway; map of a static label to a CIDR (never a default route)."
  type        = map(string)

  validation {
    condition     = alltrue([for c in values(var.destination_cidrs) : can(cidrhost(c, 0)) && !endswith(c, "/0")])
    error_message = "destination_cidrs must be specific CIDRs, not 0.0.0.0/0."
  }
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
