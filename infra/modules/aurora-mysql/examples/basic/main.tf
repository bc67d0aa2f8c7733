provider "aws" {
  region = "eu-west-1"
}

module "aurora" {
  source = "../../"

  name                           = "sluice-cdc-example"
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  kms_key_arn                    = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  allowed_client_security_groups = { debezium = "sg-0123456789abcdef0" }
  instance_count                 = 1
  instance_class                 = "db.t4g.medium"
}

output "endpoint" {
  value = module.aurora.endpoint
}
