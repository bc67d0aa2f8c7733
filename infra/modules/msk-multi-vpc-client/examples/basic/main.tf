# Client account: connect a VPC to a cluster shared by msk-multi-vpc-owner.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_security_group" "client" {
  name        = "sluice-example-client"
  description = "Example Kafka client"
  vpc_id      = "vpc-0123456789abcdef0"
}

module "connection" {
  source = "../../"

  name                           = "sluice-example"
  target_cluster_arn             = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_client_security_groups = { client = aws_security_group.client.id }
}

output "bootstrap_brokers" {
  value = module.connection.bootstrap_brokers
}
