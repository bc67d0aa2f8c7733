variable "cluster_arn" {
  description = "ARN of the MSK cluster (multi-VPC connectivity must be enabled on it)."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:kafka:[a-z0-9-]+:[0-9]{12}:cluster/[^/]+/[^/]+$", var.cluster_arn))
    error_message = "cluster_arn must be an MSK cluster ARN."
  }
}

variable "client_principal_arns" {
  description = "Roles in the client accounts allowed to create VPC connections and, with read_topics/write_topics, to use the cluster (for example the consumer stack's deploying role and the aggregator's role). The policy names their accounts and restricts them to these roles (aws:PrincipalArn)."
  type        = list(string)

  validation {
    condition     = length(var.client_principal_arns) > 0 && alltrue([for a in var.client_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "client_principal_arns must be a non-empty list of IAM role ARNs (no wildcards, no account root)."
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
