vpc_id                      = "vpc-0123456789abcdef0"
private_subnet_ids          = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
connector_security_group_id = "sg-0123456789abcdef2"
kms_key_arn                 = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
