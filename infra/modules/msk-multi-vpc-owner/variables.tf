variable "cluster_arn" {
  description = "ARN of the MSK cluster (multi-VPC connectivity must be enabled on it)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.cluster_arn))
    error_message = "cluster_arn must be an MSK cluster ARN."
  }
}

variable "client_account_ids" {
  description = "AWS accounts allowed to create VPC connections to the cluster."
  type        = list(string)

  validation {
    condition     = length(var.client_account_ids) > 0 && alltrue([for a in var.client_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "client_account_ids must be a non-empty list of 12-digit account IDs."
  }
}

variable "read_topics" {
  description = "Topics the client accounts may read with IAM auth (kafka-cluster data-plane actions are granted on exactly these topics)."
  type        = list(string)
  default     = []
}

variable "write_topics" {
  description = "Topics the client accounts may write with IAM auth."
  type        = list(string)
  default     = []
}

variable "consumer_groups" {
  description = "Consumer groups the client accounts may use with IAM auth."
  type        = list(string)
  default     = []
}
