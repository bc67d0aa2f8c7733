output "cluster_arn" {
  description = "ARN of the cluster the policy is attached to (input of msk-multi-vpc-client in the client account)."
  value       = aws_msk_cluster_policy.this.cluster_arn
}

output "policy" {
  description = "The cluster policy document (JSON)."
  value       = aws_msk_cluster_policy.this.policy
}
