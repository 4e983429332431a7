/** The shell: one live connection for every page, the navigation bar, and the current page. */
import { useEffect } from "react";
import { api } from "../api";
import { commentsStore } from "../comments-store";
import { inboxStore } from "../inbox-store";
import { useRoute } from "../router";
import { routerFeed } from "../router-feed";
import { liveStore } from "../store";
import { useEventStream } from "../use-stream";
import { Board } from "./Board";
import { InboxView } from "./InboxView";
import { Link } from "./Link";
import { NavBar } from "./NavBar";
import { NewTaskForm } from "./NewTaskForm";
import { ReviewQueue } from "./ReviewQueue";
import { RouterView } from "./RouterView";
import { TaskView } from "./TaskView";

const streamAll = () => "/api/stream";

export function App() {
  const route = useRoute();
  const status = useEventStream(streamAll, {
    onOpen: () => {
      void api
        .activity()
        .then((activity) => liveStore.addActivity(Object.values(activity)))
        .catch(() => undefined);
      void api
        .tasks()
        .then((tasks) => liveStore.setTasks(tasks))
        .catch(() => undefined);
      commentsStore.reloadAll();
      inboxStore.reload();
    },
    onTask: (task) => {
      liveStore.setTask(task);
      inboxStore.onTask(task);
    },
    onEvent: (event) => {
      liveStore.addEvent(event);
      inboxStore.onEvent(event);
    },
    onComments: (change) => commentsStore.set(change.taskId, change.comments),
    onRouterRequest: (request) => routerFeed.publish(request),
  });
  useEffect(() => liveStore.setStatus(status), [status]);

  return (
    <div className="app">
      <NavBar route={route} />
      <main className="page">
        {route.name === "board" && <Board />}
        {route.name === "task" && <TaskView key={route.id} taskId={route.id} tab={route.tab} />}
        {route.name === "review" && <ReviewQueue />}
        {route.name === "inbox" && <InboxView />}
        {route.name === "new" && <NewTaskForm />}
        {route.name === "router" && <RouterView key={route.taskId ?? "all"} taskId={route.taskId} />}
        {route.name === "not-found" && (
          <p className="empty" data-testid="not-found">
            No such page. <Link to="/">Back to the Board</Link>
          </p>
        )}
      </main>
    </div>
  );
}
