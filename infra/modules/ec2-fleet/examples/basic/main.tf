# A two-instance private fleet that reaches only the AWS endpoints and S3 (what producer-fleet and
# connect-distributed build on).
provider "aws" {
  region = "eu-west-1"
}

module "fleet" {
  source = "../../"

  name           = "sluice-example-fleet"
  description    = "Example fleet: no ingress; egress to AWS endpoints and S3 only"
  vpc_id         = "vpc-0123456789abcdef0"
  subnet_ids     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  instance_type  = "t3.small"
  kms_key_arn    = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  user_data      = "#!/bin/bash\necho hello\n"
  log_group_name = "/sluice/example-fleet"
  policy_name    = "example"
  policy_statements = [{
    Sid      = "ReadArtifact"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = ["arn:aws:s3:::sluice-artifacts-example/app.jar"]
  }]
  egress_rules = {
    aws = { port = 443, security_group_id = "sg-0123456789abcdef0", description = "HTTPS to AWS endpoints" }
    s3  = { port = 443, prefix_list_id = "pl-12345678", description = "HTTPS to S3 (gateway endpoint)" }
  }
  min_size         = 2
  max_size         = 2
  desired_capacity = 2
}

output "autoscaling_group_name" {
  value = module.fleet.autoscaling_group_name
}
