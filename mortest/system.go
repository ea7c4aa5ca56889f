package mortest
var systemActions = endpoints{}
