provider "aws" {
  region = "eu-west-1"
}

module "kms" {
  source = "../../"

  name               = "sluice-example"
  service_principals = ["logs.eu-west-1.amazonaws.com"]
}

output "key_arn" {
  value = module.kms.key_arn
}
