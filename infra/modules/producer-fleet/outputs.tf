output "autoscaling_group_name" {
  description = "Name of the producer Auto Scaling group (find instances for SSM sessions with it)."
  value       = module.fleet.autoscaling_group_name
}

output "security_group_id" {
  description = "Security group of the producers (allow it on the brokers' client port)."
  value       = module.fleet.security_group_id
}

output "iam_role_arn" {
  description = "IAM role of the producer instances."
  value       = module.fleet.iam_role_arn
}

output "iam_role_name" {
  description = "Name of the IAM role of the producer instances."
  value       = module.fleet.iam_role_name
}

output "log_group_name" {
  description = "CloudWatch log group of the producer service."
  value       = module.fleet.log_group_name
}

output "launch_template_id" {
  description = "Launch template of the fleet."
  value       = module.fleet.launch_template_id
}
