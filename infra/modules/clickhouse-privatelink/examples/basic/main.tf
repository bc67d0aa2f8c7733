provider "aws" {
  region = "eu-west-1"
}

resource "aws_security_group" "connect" {
  name        = "sluice-example-connect"
  description = "Example Kafka Connect workers"
  vpc_id      = "vpc-0123456789abcdef0"
}

module "clickhouse" {
  source = "../../"

  name                   = "sluice-example"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  service_name           = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  client_security_groups = { connect = aws_security_group.connect.id }
}

output "endpoint_id" {
  value = module.clickhouse.endpoint_id
}
