/* natije — functions the AG Grids call by name (dash-ag-grid looks them up here).
   natijeOpenRowOnEnter: Enter on a focused row of a projects grid opens that project (keyboard users
   reach what a click reaches); the Dash callback dashboards._grid.navigate_to_project does the rest. */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

dagfuncs.natijeOpenRowOnEnter = function (params, setEventData) {
  var event = params && params.event;
  if (event && event.key === "Enter" && params.data && params.data.code) {
    setEventData({code: params.data.code});
  }
};
