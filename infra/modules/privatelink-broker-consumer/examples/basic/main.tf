# Consumer account: read the shared broker map and create endpoints plus a private hosted zone.
provider "aws" {
  region = "eu-west-1"
}

variable "broker_map_secret_arn" {
  type    = string
  default = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:sluice/broker-map-AbCdEf"
}

data "aws_secretsmanager_secret_version" "broker_map" {
  secret_id = var.broker_map_secret_arn
}

resource "aws_security_group" "client" {
  name        = "sluice-example-client"
  description = "Example Kafka client"
  vpc_id      = "vpc-0123456789abcdef0"
}

module "brokers" {
  source = "../../"

  name                           = "sluice-example"
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  broker_map                     = nonsensitive(jsondecode(data.aws_secretsmanager_secret_version.broker_map.secret_string)) # endpoint names, not credentials
  allowed_client_security_groups = { client = aws_security_group.client.id }
}

output "bootstrap_servers" {
  value = module.brokers.bootstrap_servers
}
