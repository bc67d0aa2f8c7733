# A three-instance fleet whose members talk to each other on one port, with every optional input set.
provider "aws" {
  region = "eu-west-1"
}

module "fleet" {
  source = "../../"

  name               = "sluice-complete-fleet"
  description        = "Example fleet: 8083 between members; egress to members, AWS endpoints, S3 and one peer CIDR"
  vpc_id             = "vpc-0123456789abcdef0"
  subnet_ids         = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1", "subnet-0123456789abcdef2"]
  ami_ssm_parameter  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
  instance_type      = "m7g.large"
  root_volume_size   = 40
  kms_key_arn        = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  user_data          = "#!/bin/bash\necho hello\n"
  log_group_name     = "/sluice/complete-fleet"
  log_retention_days = 90
  policy_name        = "example"
  policy_statements = [{
    Sid      = "ReadArtifact"
    Effect   = "Allow"
    Action   = ["s3:GetObject"]
    Resource = ["arn:aws:s3:::sluice-artifacts-example/app.jar"]
  }]
  egress_rules = {
    peers = { port = 8083, security_group_id = "self", description = "to the other members" }
    aws   = { port = 443, security_group_id = "sg-0123456789abcdef0", description = "HTTPS to AWS endpoints" }
    s3    = { port = 443, prefix_list_id = "pl-12345678", description = "HTTPS to S3 (gateway endpoint)" }
    kafka = { port = 9096, cidr = "10.50.0.0/16", description = "Kafka (TLS) in the peer VPC" }
  }
  ingress_from_self_ports = { "8083" = "from the other members" }
  min_size                = 3
  max_size                = 4
  desired_capacity        = 3
  tags                    = { Project = "sluice", Example = "complete" }
}

output "security_group_id" {
  value = module.fleet.security_group_id
}
