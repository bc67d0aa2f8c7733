# A SCRAM user for the aggregator in a consumer account, readable only by its Lambda role.
provider "aws" {
  region = "eu-west-1"
}

module "aggregator_scram" {
  source = "../../"

  name                  = "sluice_aggregator"
  username              = "sluice-aggregator"
  kms_key_arn           = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  reader_principal_arns = ["arn:aws:iam::222222222222:role/sluice-aggregator-lambda"]
}

output "secret_arn" {
  value = module.aggregator_scram.secret_arn
}
