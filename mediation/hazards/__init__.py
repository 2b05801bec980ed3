"""Risk screening (劳动关系风险隐患排查): the register of hazards at employers."""
