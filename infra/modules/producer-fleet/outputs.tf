output "autoscaling_group_name" {
  description = "Name of the producer Auto Scaling group (find instances for SSM sessions with it)."
  value       = aws_autoscaling_group.this.name
}

output "security_group_id" {
  description = "Security group of the producers (allow it on the brokers' client port)."
  value       = aws_security_group.this.id
}

output "iam_role_arn" {
  description = "IAM role of the producer instances."
  value       = aws_iam_role.this.arn
}

output "iam_role_name" {
  description = "Name of the IAM role of the producer instances."
  value       = aws_iam_role.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the producer service."
  value       = aws_cloudwatch_log_group.this.name
}

output "launch_template_id" {
  description = "Launch template of the fleet."
  value       = aws_launch_template.this.id
}
