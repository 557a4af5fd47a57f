namespace PopInfo.SyntheticCity.Generation;

/// <summary>What a member is to the household, which decides their migrant reason and occupation.</summary>
internal enum Role
{
    Head,
    Spouse,
    Child,
    ChildInLaw,
    Grandchild,
    ParentOfHead,
    Housemate,
}

/// <summary>A household member before the details (name, numbers, addresses) are filled in.</summary>
internal struct Draft
{
    public Role Role;
    public string Relationship;
    public bool Male;
    public int Age;
    public string Surname;
    public string MaritalStatus;
}
