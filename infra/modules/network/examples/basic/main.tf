# A two-AZ private VPC with SSM, Secrets Manager, KMS, logs and S3 endpoints and no internet path.
provider "aws" {
  region = "eu-west-1"
}

module "network" {
  source = "../../"

  name       = "sluice-example"
  cidr_block = "10.20.0.0/16"
  azs        = ["eu-west-1a", "eu-west-1b"]

  tags = { Project = "sluice" }
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}
